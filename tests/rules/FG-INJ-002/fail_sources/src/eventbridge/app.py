def handler(event, context):
    value = event["detail"]["q"]
    eval(value)
    return {"statusCode": 200}
