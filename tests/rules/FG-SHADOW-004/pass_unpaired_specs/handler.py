def send(event, context):
    return {"statusCode": 202}
