def handler(event, context):
    count = int(event["queryStringParameters"]["count"])
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": f"<p>{count} items</p>"}
