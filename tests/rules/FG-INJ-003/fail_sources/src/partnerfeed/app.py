import base64
import pickle

import requests


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
