import sqlite3


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["claims"]["sub"]
    db = sqlite3.connect("/tmp/app.db")
    rows = db.execute(f"SELECT * FROM orders WHERE owner = '{owner}'").fetchall()
    return {"statusCode": 200, "body": str(rows)}
