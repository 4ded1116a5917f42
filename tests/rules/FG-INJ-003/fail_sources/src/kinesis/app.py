import base64
import pickle


def handler(event, context):
    value = base64.b64decode(event["Records"][0]["kinesis"]["data"]).decode()
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
