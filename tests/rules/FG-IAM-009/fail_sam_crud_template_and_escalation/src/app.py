import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
S3 = boto3.client("s3")


def handler(event, context):
    order = json.loads(event["body"])
    TABLE.put_item(Item={"id": order["id"], "total": order["total"]})
    S3.put_object(Bucket=os.environ["RECEIPTS_BUCKET"], Key=f"{order['id']}.json", Body=event["body"])
    return {"statusCode": 201}
