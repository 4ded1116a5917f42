def main(request, _context):
    value = request["headers"].get("x-q", "")
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": f"<p>Hello {value}</p>"}
