import sqlite3

import boto3

S3 = boto3.client("s3")


def handler(event, context):
    value = S3.get_object(Bucket="reports", Key="latest.txt")["Body"].read().decode()
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
