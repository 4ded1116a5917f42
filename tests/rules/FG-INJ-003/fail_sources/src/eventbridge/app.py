import base64
import pickle


def handler(event, context):
    value = event["detail"]["q"]
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
