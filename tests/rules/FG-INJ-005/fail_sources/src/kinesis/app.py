import base64
import os


def handler(event, context):
    value = base64.b64decode(event["Records"][0]["kinesis"]["data"]).decode()
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
