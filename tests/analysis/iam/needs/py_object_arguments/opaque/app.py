import boto3

rekognition = boto3.client("rekognition")


def handler(event, context):
    image = {"S3Object": {"Bucket": event["bucket"], "Name": event["key"]}}
    return rekognition.detect_labels(Image=image)
