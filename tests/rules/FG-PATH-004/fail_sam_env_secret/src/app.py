import base64
import pickle


def handler(event, context):
    order = pickle.loads(base64.b64decode(event["body"]))
    return {"statusCode": 200, "body": str(order)}
