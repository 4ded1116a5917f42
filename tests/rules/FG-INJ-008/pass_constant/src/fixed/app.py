from lxml import etree

PARSER = etree.XMLParser(resolve_entities=True)


def handler(event, context):
    doc = etree.fromstring(b"<config><debug>false</debug></config>", PARSER)
    return {"statusCode": 200, "body": doc.findtext("debug")}
