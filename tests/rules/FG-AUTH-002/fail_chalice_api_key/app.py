from chalice import Chalice

app = Chalice(app_name="shop")


@app.route("/feed", api_key_required=True)
def feed():
    return []
