import json


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": f"<p>Hello {value}</p>"}
