import base64
import json


def handler(event, context):
    version = event["queryStringParameters"]["version"].split(".")
    major, minor = int(version[0]), int(version[1])
    key = event["pathParameters"]["file"]
    extension = key.split(".")[1]
    body = base64.b64decode(event["body"])
    return {"statusCode": 200, "body": json.dumps({"major": major, "minor": minor, "ext": extension, "size": len(body)})}
