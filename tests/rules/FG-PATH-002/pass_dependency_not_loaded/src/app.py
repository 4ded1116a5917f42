import json


def handler(event, context):
    settings = json.loads(event["body"])
    return {"statusCode": 200, "body": str(len(settings))}
