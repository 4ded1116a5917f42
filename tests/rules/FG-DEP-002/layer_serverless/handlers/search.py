import json


def handle(event, context):
    query = (event.get("queryStringParameters") or {}).get("q", "")
    return {"statusCode": 200, "body": json.dumps({"query": query, "hits": []})}
