import os
from urllib.parse import quote

import requests

API = os.environ["INVENTORY_URL"]


def handler(event, context):
    item = event["queryStringParameters"]["item"]
    requests.get(f"https://inventory.example.com/items/{item}", timeout=5)
    requests.get(API + "/items/" + item, timeout=5)
    requests.get("https://search.example.com/?q=" + quote(item), timeout=5)
    return {"statusCode": 200}
