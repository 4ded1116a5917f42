def download(event, context):
    name = event["queryStringParameters"]["file"]
    with open("/tmp/" + name) as fh:
        return {"statusCode": 200, "body": fh.read()}
