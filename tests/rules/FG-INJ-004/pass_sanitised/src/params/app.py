import pymysql
from sqlalchemy import create_engine, text

DB = pymysql.connect(host="db", user="app", password=None, database="shop")
ENGINE = create_engine("postgresql://db/shop")


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    with DB.cursor() as cur:
        cur.execute("SELECT * FROM items WHERE name = %s", (name,))
        rows = cur.fetchall()
    with ENGINE.connect() as conn:
        conn.execute(text("SELECT * FROM items WHERE name = :name"), {"name": name})
    return {"statusCode": 200, "body": str(rows)}
