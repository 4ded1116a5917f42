from urllib.parse import unquote_plus

from lxml import etree


def on_upload(e, c):
    value = unquote_plus(e["Records"][0]["s3"]["object"]["key"])
    etree.fromstring(value, etree.XMLParser(resolve_entities=True))
    return {"statusCode": 200}
