import shlex
import subprocess


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    subprocess.run(f"convert {shlex.quote(name)} out.png", shell=True, check=True)
    return {"statusCode": 200}
