import sqlite3


def main(request, _context):
    value = request["headers"].get("x-q", "")
    conn = sqlite3.connect("/tmp/app.db")
    conn.execute("SELECT * FROM items WHERE name = '" + value + "'")
    return {"statusCode": 200}
