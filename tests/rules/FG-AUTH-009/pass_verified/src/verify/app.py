import os

import jwt
from jose import jwt as jose_jwt

JWKS = jwt.PyJWKClient(os.environ["JWKS_URL"])


def handler(event, context):
    token = event["headers"]["authorization"].split(" ")[1]
    key = JWKS.get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=os.environ["CLIENT_ID"])
    return {"statusCode": 200, "body": claims["sub"]}


def issuer_of(token, keys):
    unverified = jose_jwt.get_unverified_claims(token)
    return jose_jwt.decode(token, keys[unverified["iss"]], algorithms=["RS256"])
