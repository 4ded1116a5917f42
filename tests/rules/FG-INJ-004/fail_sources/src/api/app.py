import sqlite3


def handler(event, context):
    value = event["queryStringParameters"]["q"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
