import os
from urllib.parse import unquote_plus


def on_upload(e, c):
    value = unquote_plus(e["Records"][0]["s3"]["object"]["key"])
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
