def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    eval(value)
    return {"statusCode": 200}
