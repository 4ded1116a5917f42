import base64

from lxml import etree


def handler(event, context):
    value = base64.b64decode(event["Records"][0]["kinesis"]["data"]).decode()
    etree.fromstring(value, etree.XMLParser(resolve_entities=True))
    return {"statusCode": 200}
