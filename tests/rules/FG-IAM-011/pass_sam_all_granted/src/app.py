import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    order_id = event["pathParameters"]["id"]
    order = TABLE.get_item(Key={"id": order_id}).get("Item")
    if order is None:
        return {"statusCode": 404}
    TABLE.delete_item(Key={"id": order_id})
    return {"statusCode": 204}
