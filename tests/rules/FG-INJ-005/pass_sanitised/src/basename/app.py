import os
from urllib.parse import unquote_plus

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        local = os.path.join("/tmp", os.path.basename(key))
        s3.download_file(bucket, key, local)
        flat = "/tmp/" + key.replace("/", "_")
        s3.download_file(bucket, key, flat)
        last = "/tmp/" + key.split("/")[-1]
        with open(last, "wb") as fh:
            s3.download_fileobj(bucket, key, fh)
