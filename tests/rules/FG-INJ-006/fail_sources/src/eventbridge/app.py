import requests


def handler(event, context):
    value = event["detail"]["q"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
