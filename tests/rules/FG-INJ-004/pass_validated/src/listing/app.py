import sqlite3

SORTS = ("name", "created")


def handler(event, context):
    params = event["queryStringParameters"]
    limit = int(params.get("limit", "10"))
    sort = params.get("sort", "name")
    if sort not in SORTS:
        return {"statusCode": 400}
    db = sqlite3.connect("/tmp/app.db")
    rows = db.execute(f"SELECT * FROM items ORDER BY {sort} LIMIT {limit}").fetchall()
    return {"statusCode": 200, "body": str(rows)}
