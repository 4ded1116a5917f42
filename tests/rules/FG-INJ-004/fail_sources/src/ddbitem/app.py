import sqlite3

import boto3

TABLE = boto3.resource("dynamodb").Table("jobs")


def handler(event, context):
    value = TABLE.get_item(Key={"id": "job"})["Item"]["q"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
