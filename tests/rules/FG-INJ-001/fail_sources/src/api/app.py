import subprocess


def handler(event, context):
    value = event["queryStringParameters"]["q"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
