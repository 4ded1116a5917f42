import json
import os


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
