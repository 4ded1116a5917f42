from chalice import Chalice
from chalicelib.db import find_orders

app = Chalice(app_name="orders")


@app.route("/users/{name}/orders")
def user_orders(name):
    status = app.current_request.query_params.get("status", "open")
    return {"orders": find_orders(name, status)}
