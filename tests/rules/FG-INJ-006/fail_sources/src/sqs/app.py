import requests


def consume(batch, context):
    for record in batch["Records"]:
        value = record["body"]
        requests.get(value, timeout=5)
    return {"statusCode": 200}
