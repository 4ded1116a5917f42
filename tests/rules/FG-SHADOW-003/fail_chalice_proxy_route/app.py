from chalice import Chalice

app = Chalice(app_name="shop")


@app.route("/{proxy+}", methods=["GET", "POST"])
def everything(proxy):
    return {}
