import requests


def pre_sign_up(event, context):
    value = event["request"]["userAttributes"]["custom:q"]
    requests.get(value, timeout=5)
    return {"statusCode": 200}
