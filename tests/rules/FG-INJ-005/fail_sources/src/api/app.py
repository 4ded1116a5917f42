import os


def handler(event, context):
    value = event["queryStringParameters"]["q"]
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
