import base64
import pickle


def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
