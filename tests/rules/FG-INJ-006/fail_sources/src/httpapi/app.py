import json

import requests


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
