import os


def main(request, _context):
    value = request["headers"].get("x-q", "")
    with open(os.path.join("/tmp/files", value)) as fh:
        fh.read()
    return {"statusCode": 200}
