import boto3

S3 = boto3.client("s3")


def handler(event, context):
    value = S3.get_object(Bucket="reports", Key="latest.txt")["Body"].read().decode()
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": f"<p>Hello {value}</p>"}
