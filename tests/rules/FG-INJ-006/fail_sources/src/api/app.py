import requests


def handler(event, context):
    value = event["queryStringParameters"]["q"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
