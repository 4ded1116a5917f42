import requests
from bs4 import BeautifulSoup
from dateutil import parser
from helpers import clean


def handler(event, context):
    page = requests.get("https://example.com", timeout=5).text
    text = clean(BeautifulSoup(page, "html.parser").text)
    return {"statusCode": 200, "body": text + str(parser.parse("2024"))}
