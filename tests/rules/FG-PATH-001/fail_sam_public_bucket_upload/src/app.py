import os


def handler(event, context):
    key = event["Records"][0]["s3"]["object"]["key"]
    os.system(f"convert /tmp/{key} /tmp/thumb.png")
