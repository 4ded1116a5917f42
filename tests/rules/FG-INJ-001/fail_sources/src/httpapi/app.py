import json
import subprocess


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
