import jwt
import requests


def handler(event, context):
    requests.post("https://payments.example.com/charge", json={}, verify="/opt/ca.pem", timeout=5)
    jwt.decode(event["headers"]["token"], "k", algorithms=["HS256"], options={"verify_aud": False})
    return {"statusCode": 200}
