import json
import os

import boto3

results = boto3.resource("dynamodb").Table(os.environ["RESULTS_TABLE"])


def handler(event, context):
    for record in event["Records"]:
        job = json.loads(record["body"])
        results.put_item(Item={"id": job["id"], "status": "done"})
