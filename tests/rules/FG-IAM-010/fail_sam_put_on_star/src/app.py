import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    order = json.loads(event["body"])
    if TABLE.get_item(Key={"id": order["id"]}).get("Item"):
        return {"statusCode": 409}
    TABLE.put_item(Item=order)
    return {"statusCode": 201}
