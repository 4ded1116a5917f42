import base64


def handler(event, context):
    value = base64.b64decode(event["Records"][0]["kinesis"]["data"]).decode()
    eval(value)
    return {"statusCode": 200}
