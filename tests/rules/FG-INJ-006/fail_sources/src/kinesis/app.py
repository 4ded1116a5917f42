import base64

import requests


def handler(event, context):
    value = base64.b64decode(event["Records"][0]["kinesis"]["data"]).decode()
    requests.get(value, timeout=5)
    return {"statusCode": 200}
