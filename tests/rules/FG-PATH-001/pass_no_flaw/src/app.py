import subprocess


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    subprocess.run(["convert", name, "out.png"], check=True)
    return {"statusCode": 200, "body": "done"}
