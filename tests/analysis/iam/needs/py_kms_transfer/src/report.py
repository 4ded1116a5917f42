import os

import boto3

session = boto3.Session()
s3 = session.client("s3")
REPORTS = os.environ["REPORTS"]
ARCHIVE = os.getenv("ARCHIVE")


def handler(event, context):
    s3.download_file(REPORTS, "in/data.csv", "/tmp/data.csv")
    s3.upload_file("/tmp/data.csv", ARCHIVE, "out/data.csv")
    old = s3.get_object(Bucket=REPORTS, Key="in/data.csv", VersionId=event["version"])
    s3.copy_object(Bucket=ARCHIVE, Key="copy.csv", CopySource={"Bucket": REPORTS, "Key": "in/data.csv"})
    s3.get_waiter("object_exists").wait(Bucket=ARCHIVE, Key="copy.csv")
    resource = boto3.resource("s3")
    body = resource.Bucket(REPORTS).Object("summary.txt").get()["Body"].read()
    resource.Object(ARCHIVE, "summary.txt").put(Body=body)
    return old["ContentLength"]
