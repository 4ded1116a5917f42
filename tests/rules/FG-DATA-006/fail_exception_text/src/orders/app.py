import json
import traceback

import boto3
from botocore.exceptions import ClientError

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    try:
        item = table.get_item(Key={"id": event["pathParameters"]["id"]})["Item"]
    except ClientError as err:
        return {"statusCode": 500, "body": json.dumps({"error": str(err)})}
    except Exception:
        return {"statusCode": 500, "body": traceback.format_exc()}
    return {"statusCode": 200, "body": json.dumps(item)}
