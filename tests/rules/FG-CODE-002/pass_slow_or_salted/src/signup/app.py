import hashlib
import json
import os


def handler(event, context):
    body = json.loads(event["body"])
    salt = os.urandom(16)
    stored = hashlib.pbkdf2_hmac("sha256", body["password"].encode(), salt, 600_000)
    digest = hashlib.sha256(body["email"].encode()).hexdigest()
    return {"statusCode": 201, "body": stored.hex() + digest}
