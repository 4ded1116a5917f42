import os

from werkzeug.utils import secure_filename

BASE = "/mnt/reports"


def handler(event, context):
    name = event["queryStringParameters"]["report"]
    path = os.path.realpath(os.path.join(BASE, name))
    if not path.startswith(BASE + os.sep):
        return {"statusCode": 403}
    with open(path) as fh:
        body = fh.read()
    with open(os.path.join(BASE, secure_filename(name))) as fh:
        body += fh.read()
    return {"statusCode": 200, "body": body}
