import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from lxml import etree

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def handler(event, context):
    body = event["body"]
    SafeET.fromstring(body)
    etree.fromstring(body, SAFE_PARSER)
    ET.fromstring(body)
    return {"statusCode": 200}
