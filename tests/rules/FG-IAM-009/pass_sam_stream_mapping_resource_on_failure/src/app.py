import base64
import json


def handler(event, context):
    for record in event["Records"]:
        order = json.loads(base64.b64decode(record["kinesis"]["data"]))
        print(order["id"])
