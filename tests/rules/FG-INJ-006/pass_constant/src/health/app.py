import urllib.request


def handler(event, context):
    with urllib.request.urlopen("https://status.example.com/health", timeout=5) as resp:
        return {"statusCode": resp.status}
