import base64
import pickle


def handler(event, context):
    session = event["requestContext"]["authorizer"]["session"]
    state = pickle.loads(base64.b64decode(session))
    return {"statusCode": 200, "body": str(state)}
