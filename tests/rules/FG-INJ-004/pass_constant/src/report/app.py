import os

import psycopg2

TABLE = os.environ["TABLE"]
conn = psycopg2.connect(os.environ["DSN"])


def handler(event, context):
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM orders")
    cur.execute(f"SELECT * FROM {TABLE} WHERE archived = false")
    return {"statusCode": 200, "body": str(cur.fetchall())}
