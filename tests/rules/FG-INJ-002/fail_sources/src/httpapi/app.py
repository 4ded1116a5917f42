import json


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    eval(value)
    return {"statusCode": 200}
