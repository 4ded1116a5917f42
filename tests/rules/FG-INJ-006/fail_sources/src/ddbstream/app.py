import requests


def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
