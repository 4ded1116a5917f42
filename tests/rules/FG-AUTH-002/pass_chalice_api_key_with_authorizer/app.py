from chalice import Chalice, IAMAuthorizer

app = Chalice(app_name="shop")


@app.route("/feed", api_key_required=True, authorizer=IAMAuthorizer())
def feed():
    return []
