from chalice import Chalice, IAMAuthorizer

app = Chalice(app_name="shop")
iam = IAMAuthorizer()


@app.route("/orders", methods=["GET", "POST"])
def orders():
    return []


@app.route("/orders/{order_id}", methods=["DELETE"], authorizer=iam)
def delete_order(order_id):
    return {}
