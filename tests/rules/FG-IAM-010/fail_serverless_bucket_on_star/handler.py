import os

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ["BUCKET"]


def resize(event, context):
    key = event["key"]
    body = s3.get_object(Bucket=BUCKET, Key=f"originals/{key}")["Body"].read()
    s3.put_object(Bucket=BUCKET, Key=f"thumbnails/{key}", Body=body[:1024])
    return {"key": key}
