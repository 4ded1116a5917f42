import boto3
import requests
from settings import DB_PASSWORD

AWS_KEY = "AKIAQ3EGV2ZBX7KJ4W5M"
session = boto3.Session(
    aws_access_key_id=AWS_KEY, aws_secret_access_key="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"
)
HEADERS = {"api_key": "9f8e7d6c5b4a39281706f5e4d3c2b1a0"}


def handler(event, context):
    requests.post("https://billing.example.com/charge", headers=HEADERS, timeout=5)
    return {"statusCode": 200, "body": str(bool(DB_PASSWORD))}
