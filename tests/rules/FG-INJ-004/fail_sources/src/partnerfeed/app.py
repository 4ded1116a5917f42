import sqlite3

import requests


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
