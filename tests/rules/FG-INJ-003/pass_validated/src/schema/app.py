import json

import yaml
from jsonschema import validate

SCHEMA = {"type": "object", "properties": {"config": {"type": "string", "maxLength": 200}}}


def handler(event, context):
    payload = json.loads(event["body"])
    validate(instance=payload, schema=SCHEMA)
    config = yaml.load(payload["config"], Loader=yaml.FullLoader)
    return {"statusCode": 200, "body": json.dumps(config)}
