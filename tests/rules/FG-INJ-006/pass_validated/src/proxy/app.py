from urllib.parse import urlparse

import requests

ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}


def handler(event, context):
    url = event["queryStringParameters"]["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        return {"statusCode": 400}
    return {"statusCode": 200, "body": requests.get(url, timeout=5).text}
