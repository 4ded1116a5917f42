import requests
import yaml


def handler(event, context):
    return yaml.safe_dump(requests.get("https://example.com", timeout=5).json())
