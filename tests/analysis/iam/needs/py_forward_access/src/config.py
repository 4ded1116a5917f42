import json
import os
import urllib.request


def handler(event, context):
    request = urllib.request.Request(
        "http://localhost:2773/secretsmanager/get?secretId=api-key",
        headers={"X-Aws-Parameters-Secrets-Token": os.environ["AWS_SESSION_TOKEN"]},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["SecretString"][:0]
