import os
import shlex


def handler(event, context):
    for record in event["Records"]:
        os.system("gzip " + shlex.quote(record["s3"]["object"]["key"]))
