import base64
import json

import boto3

TABLE = boto3.resource("dynamodb").Table("orders")


def lambda_handler(event, context):
    auth_header = event["headers"].get("authorization", "")
    token_sections = auth_header.split(".")
    try:
        auth_data = base64.b64decode(token_sections[1])
    except ValueError:
        auth_data = base64.b64decode(token_sections[1] + "==")
    token = json.loads(auth_data)
    user = token["username"]
    return TABLE.query(KeyConditionExpression="userId = :u", ExpressionAttributeValues={":u": user})
