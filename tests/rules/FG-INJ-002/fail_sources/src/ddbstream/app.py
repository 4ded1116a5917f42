def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    eval(value)
    return {"statusCode": 200}
