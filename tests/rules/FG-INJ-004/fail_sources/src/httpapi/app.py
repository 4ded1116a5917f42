import json
import sqlite3


def lambda_handler(evt, ctx):
    body = json.loads(evt["body"])
    value = body["q"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
