import os

import boto3

rekognition = boto3.client("rekognition")


def handler(event, context):
    return rekognition.detect_labels(
        Image={"S3Object": {"Bucket": os.environ["PHOTOS"], "Name": event["key"]}}, MaxLabels=10
    )
