from chalice import Chalice

app = Chalice(app_name="shop")


@app.route("/")
def index():
    return {"status": "ok"}
