import os


def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
