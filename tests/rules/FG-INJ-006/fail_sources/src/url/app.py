import requests


def main(request, _context):
    value = request["headers"].get("x-q", "")
    requests.get(value, timeout=5)
    return {"statusCode": 200}
