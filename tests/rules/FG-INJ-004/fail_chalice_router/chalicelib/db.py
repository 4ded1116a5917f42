import sqlite3


def find_orders(user, status):
    db = sqlite3.connect("/tmp/orders.db")
    query = f"SELECT * FROM orders WHERE user = '{user}' AND status = '{status}'"
    return db.execute(query).fetchall()
