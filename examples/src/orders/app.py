"""Orders handler (deliberately vulnerable demo code: do not deploy)."""

import json
import os
import subprocess

import boto3
import requests

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    order_id = event["pathParameters"]["id"]
    item = TABLE.get_item(Key={"id": order_id}).get("Item", {})
    # Event data reaches a shell command: command injection.
    receipt = subprocess.check_output(f"render-receipt --order {order_id}", shell=True)
    # TLS verification disabled on an outbound call.
    requests.post(os.environ["PAYMENTS_URL"], json=item, verify=False, timeout=5)
    return {"statusCode": 200, "body": json.dumps({"order": item, "receipt": receipt.decode()})}
