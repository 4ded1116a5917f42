import base64
import pickle


def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
