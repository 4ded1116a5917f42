import base64
import json
import os

import jwt

KEYS = json.loads(os.environ["SIGNING_KEYS"])
ISSUERS = json.loads(os.environ["ISSUER_KEYS"])


def handler(event, context):
    token = event["headers"]["authorization"].removeprefix("Bearer ")
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    claims = jwt.decode(token, KEYS[header["kid"]], algorithms=[header["alg"]], audience=os.environ["CLIENT_ID"])
    return {"statusCode": 200, "body": claims["sub"]}


def claims_of(token):
    unverified = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return jwt.decode(token, ISSUERS[unverified["iss"]], algorithms=["RS256"], audience=os.environ["CLIENT_ID"])
