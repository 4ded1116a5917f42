from urllib.parse import unquote_plus

import requests


def on_upload(e, c):
    value = unquote_plus(e["Records"][0]["s3"]["object"]["key"])
    requests.get(value, timeout=5)
    return {"statusCode": 200}
