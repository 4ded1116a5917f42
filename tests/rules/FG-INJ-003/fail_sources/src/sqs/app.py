import base64
import pickle


def consume(batch, context):
    for record in batch["Records"]:
        value = record["body"]
        pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
