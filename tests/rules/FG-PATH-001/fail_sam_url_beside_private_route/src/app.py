import os


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    os.system("convert " + name + " out.png")
    return {"statusCode": 200, "body": "done"}
