ALLOWED = {"https://app.example.com", "https://admin.example.com"}


def handler(event, context):
    origin = event["headers"].get("origin", "")
    allowed = origin if origin in ALLOWED else "https://app.example.com"
    headers = {"Access-Control-Allow-Origin": "https://app.example.com"}
    if origin in ALLOWED:
        headers["Access-Control-Allow-Origin"] = origin
    return {"statusCode": 200, "headers": headers, "body": allowed}
