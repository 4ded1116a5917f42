import subprocess


def handler(event, context):
    tag = event["queryStringParameters"]["tag"]
    subprocess.run(f"tar czf /tmp/{tag}.tgz /tmp/in", shell=True, check=True)
    return {"statusCode": 202}
