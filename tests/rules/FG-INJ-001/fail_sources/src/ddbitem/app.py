import subprocess

import boto3

TABLE = boto3.resource("dynamodb").Table("jobs")


def handler(event, context):
    value = TABLE.get_item(Key={"id": "job"})["Item"]["q"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
