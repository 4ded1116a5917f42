import json

import boto3

DYNAMODB = boto3.resource("dynamodb")


def handler(event, context):
    # One table per tenant, named at run time: "*" cannot be narrowed from the template.
    table = DYNAMODB.Table(f"orders-{event['tenant']}")
    order = json.loads(event["body"])
    if table.get_item(Key={"id": order["id"]}).get("Item"):
        return {"statusCode": 409}
    table.put_item(Item=order)
    return {"statusCode": 201}
