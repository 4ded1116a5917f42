import os


def handler(event, context):
    user = event["requestContext"]["authorizer"]["claims"]["sub"]
    os.system("echo " + user + " " + event["httpMethod"] + " " + event["headers"]["Host"])
    return {"statusCode": 200}
