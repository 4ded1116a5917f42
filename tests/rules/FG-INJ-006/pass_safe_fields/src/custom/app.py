import json
import urllib.request


def handler(event, context):
    body = json.dumps({"Status": "SUCCESS", "PhysicalResourceId": "x", "RequestId": event["RequestId"]})
    req = urllib.request.Request(event["ResponseURL"], data=body.encode(), method="PUT")
    urllib.request.urlopen(req, timeout=10)
