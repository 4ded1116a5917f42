import requests


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    eval(value)
    return {"statusCode": 200}
