import sqlite3


def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
