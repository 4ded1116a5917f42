import sqlite3


def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
