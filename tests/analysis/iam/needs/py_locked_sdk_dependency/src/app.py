import os

import boto3
import requests
from dynamorm import DynaModel
from marshmallow import fields

s3 = boto3.client("s3")


class Report(DynaModel):
    class Table:
        name = "reports"
        hash_key = "id"

    class Schema:
        id = fields.String()
        body = fields.String()


def handler(event, context):
    body = requests.get(event["url"], timeout=5).text
    Report(id=event["id"], body=body).save()
    s3.put_object(Bucket=os.environ["BUCKET"], Key=event["id"], Body=body.encode())
    return {"statusCode": 200}
