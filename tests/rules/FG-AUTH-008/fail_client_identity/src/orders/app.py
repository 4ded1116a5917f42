import json

import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    body = json.loads(event["body"])
    order = table.get_item(Key={"id": body["orderId"]})["Item"]
    if order["owner"] != body["userId"]:
        return {"statusCode": 403}
    table.delete_item(Key={"id": body["orderId"]})
    return {"statusCode": 204}
