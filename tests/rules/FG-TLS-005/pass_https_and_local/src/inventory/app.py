import os

import requests


def handler(event, context):
    requests.get("https://inventory.example.com/api", timeout=5)
    requests.get("http://localhost:2773/systemsmanager/parameters/get", timeout=2)
    relative = os.environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
    requests.get("http://169.254.170.2" + relative, timeout=2)
    return {"statusCode": 200}
