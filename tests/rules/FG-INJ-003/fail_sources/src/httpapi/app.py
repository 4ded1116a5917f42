import base64
import json
import pickle


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
