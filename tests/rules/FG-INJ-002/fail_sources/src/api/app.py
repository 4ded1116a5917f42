def handler(event, context):
    value = event["queryStringParameters"]["q"]
    eval(value)
    return {"statusCode": 200}
