import os

import boto3

s3 = boto3.client("s3")
rekognition = boto3.client("rekognition")
textract = boto3.client("textract")
PHOTOS = os.environ["PHOTOS"]


def handler(event, context):
    key = event["key"]
    s3.put_object(Bucket=PHOTOS, Key=key, Body=b"x", ACL="public-read", Tagging="kind=photo")
    labels = rekognition.detect_labels(Image={"S3Object": {"Bucket": PHOTOS, "Name": key}})
    text = textract.detect_document_text(Document={"Bytes": event["body"].encode()})
    scan = textract.analyze_document(
        Document={"S3Object": {"Bucket": os.environ["SCANS"], "Name": key}}, FeatureTypes=["FORMS"]
    )
    return labels, text, scan
