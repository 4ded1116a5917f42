import json

import yaml


def handler(event, context):
    body = event["body"]
    config = yaml.safe_load(body)
    same = yaml.load(body, Loader=yaml.SafeLoader)
    data = json.loads(body)
    return {"statusCode": 200, "body": json.dumps([config, same, data])}
