import os

import requests


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
