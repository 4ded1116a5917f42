from urllib.parse import unquote_plus


def on_upload(e, c):
    value = unquote_plus(e["Records"][0]["s3"]["object"]["key"])
    eval(value)
    return {"statusCode": 200}
