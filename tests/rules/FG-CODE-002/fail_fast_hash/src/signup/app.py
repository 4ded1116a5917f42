import hashlib
import json


def handler(event, context):
    body = json.loads(event["body"])
    password = body["password"]
    stored = hashlib.sha256(password.encode()).hexdigest()
    legacy = hashlib.md5(body["password"].encode()).hexdigest()
    return {"statusCode": 201, "body": stored + legacy}
