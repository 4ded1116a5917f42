import os

import boto3

PASSWORD_PARAM = "/billing/db/password"
API_KEY_HEADER = "x-api-key"
DB_PASSWORD = os.environ.get("DB_PASSWORD", "changeme")
TOKEN_URL = "https://auth.example.com/oauth2/token"
EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
secret_name = "prod/billing/db"


def handler(event, context):
    ssm = boto3.client("ssm")
    value = ssm.get_parameter(Name=PASSWORD_PARAM, WithDecryption=True)["Parameter"]["Value"]
    return {"statusCode": 200, "body": str(len(value) + len(DB_PASSWORD) + len(secret_name))}
