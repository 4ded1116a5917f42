import base64
import json

import jwt


def handler(event, context):
    token = event["headers"]["authorization"].split(" ")[1]
    claims = jwt.decode(token, options={"verify_signature": False})
    legacy = jwt.decode(token, algorithms=["none"])
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return {"statusCode": 200, "body": json.dumps([claims, legacy, payload])}
