import base64
import pickle


def main(request, _context):
    value = request["headers"].get("x-q", "")
    pickle.loads(base64.b64decode(value))
    return {"statusCode": 200}
