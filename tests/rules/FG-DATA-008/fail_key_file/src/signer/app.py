def handler(event, context):
    with open("certs/signing.pem") as fh:
        return {"statusCode": 200, "body": str(len(fh.read()))}
