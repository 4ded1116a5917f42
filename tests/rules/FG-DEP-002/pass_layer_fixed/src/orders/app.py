import json

import requests


def handler(event, context):
    response = requests.get("https://inventory.internal.example.com/items", timeout=5)
    return {"statusCode": 200, "body": json.dumps(response.json())}
