def handler(event, context):
    value = event["queryStringParameters"]["q"]
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": f"<p>Hello {value}</p>"}
