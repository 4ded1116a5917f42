import subprocess

import boto3

S3 = boto3.client("s3")


def handler(event, context):
    value = S3.get_object(Bucket="reports", Key="latest.txt")["Body"].read().decode()
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
