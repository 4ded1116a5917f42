import os


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    if not name:
        name = "default"
    name = "report"
    os.system("cat " + name)
    return {"statusCode": 200}
