import os


def handler(event, context):
    bucket = event["Records"][0]["s3"]["bucket"]["name"]
    os.system("aws s3 ls s3://" + bucket)
