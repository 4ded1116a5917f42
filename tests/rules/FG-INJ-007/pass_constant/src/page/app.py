PAGE = "<html><body><h1>Welcome</h1></body></html>"


def handler(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": PAGE}
