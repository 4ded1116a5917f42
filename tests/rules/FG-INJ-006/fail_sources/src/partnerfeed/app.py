import requests


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
