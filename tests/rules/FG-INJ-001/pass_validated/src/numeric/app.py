import os


def handler(event, context):
    count = int(event["queryStringParameters"]["count"])
    os.system(f"seq {count}")
    return {"statusCode": 200}
