import ssl
import urllib.request

import boto3
import requests

s3 = boto3.client("s3", verify=False)
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE


def handler(event, context_):
    requests.post("https://payments.example.com/charge", json={}, verify=False, timeout=5)
    urllib.request.urlopen("https://ledger.example.com", context=ssl._create_unverified_context())
    return {"statusCode": 200}
