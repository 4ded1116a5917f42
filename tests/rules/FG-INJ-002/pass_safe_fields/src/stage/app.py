def handler(event, context):
    rule = event["stageVariables"]["pricing_rule"]
    return {"statusCode": 200, "body": str(eval(rule))}
