import base64
import subprocess


def handler(event, context):
    value = base64.b64decode(event["Records"][0]["kinesis"]["data"]).decode()
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
