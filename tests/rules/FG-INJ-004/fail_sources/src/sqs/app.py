import sqlite3


def consume(batch, context):
    for record in batch["Records"]:
        value = record["body"]
        conn = sqlite3.connect("/tmp/app.db")
        conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
