import requests
from lxml import etree


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    etree.fromstring(value, etree.XMLParser(resolve_entities=True))
    return {"statusCode": 200}
