import json

import boto3

TABLE = boto3.resource("dynamodb").Table("accounts-users")


def delete_user(event, context):
    body = json.loads(event["body"])
    if body["role"] != "admin":
        return {"statusCode": 403}
    TABLE.delete_item(Key={"id": body["user"]})
    return {"statusCode": 204}
