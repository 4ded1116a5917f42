import subprocess

FORMATS = {"png", "jpg", "webp"}


def handler(event, context):
    fmt = event["queryStringParameters"]["format"]
    if fmt not in FORMATS:
        return {"statusCode": 400}
    subprocess.run(f"convert in.tif out.{fmt}", shell=True, check=True)
    return {"statusCode": 200}
