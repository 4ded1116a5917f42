import os
import re


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    if not name.isalnum():
        raise ValueError("bad name")
    os.system("touch /tmp/" + name)
    tag = event["queryStringParameters"]["tag"]
    if re.fullmatch(r"[a-z]{1,16}", tag):
        os.system("echo " + tag)
    return {"statusCode": 200}
