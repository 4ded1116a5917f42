import base64


def handler(event, context):
    for records in event["records"].values():
        for record in records:
            print(base64.b64decode(record["value"]))
