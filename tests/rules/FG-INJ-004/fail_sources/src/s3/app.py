import sqlite3
from urllib.parse import unquote_plus


def on_upload(e, c):
    value = unquote_plus(e["Records"][0]["s3"]["object"]["key"])
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
