import requests


def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
