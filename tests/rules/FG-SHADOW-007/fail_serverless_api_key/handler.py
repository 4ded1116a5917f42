def reports(event, context):
    return {"statusCode": 200}
