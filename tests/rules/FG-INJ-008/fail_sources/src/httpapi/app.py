import json

from lxml import etree


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    etree.fromstring(value, etree.XMLParser(resolve_entities=True))
    return {"statusCode": 200}
