import base64
import pickle


def handler(event, context):
    for record in event["Records"]:
        job = pickle.loads(base64.b64decode(record["body"]))
        job.run()
