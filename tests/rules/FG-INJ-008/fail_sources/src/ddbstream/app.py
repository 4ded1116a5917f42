from lxml import etree


def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    etree.fromstring(value, etree.XMLParser(resolve_entities=True))
    return {"statusCode": 200}
