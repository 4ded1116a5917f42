import os


def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
