import sqlite3


def pre_sign_up(event, context):
    value = event["request"]["userAttributes"]["custom:q"]
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
