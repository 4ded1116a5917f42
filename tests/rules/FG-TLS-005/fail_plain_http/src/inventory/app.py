import http.client

import requests

INVENTORY = "http://inventory.example.com/api"


def handler(event, context):
    requests.get(INVENTORY, timeout=5)
    requests.post(f"http://orders.example.com/items/{event['pathParameters']['id']}", timeout=5)
    http.client.HTTPConnection("legacy.example.com").request("GET", "/")
    return {"statusCode": 200}
