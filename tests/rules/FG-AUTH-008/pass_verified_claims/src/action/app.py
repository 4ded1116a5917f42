import json


def handler(event, context):
    body = json.loads(event["body"])
    if body["action"] == "delete":
        return {"statusCode": 202}
    if event["httpMethod"] == "POST":
        return {"statusCode": 201}
    return {"statusCode": 400}
