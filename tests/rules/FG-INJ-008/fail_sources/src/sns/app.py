from lxml import etree


def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    etree.fromstring(value, etree.XMLParser(resolve_entities=True))
    return {"statusCode": 200}
