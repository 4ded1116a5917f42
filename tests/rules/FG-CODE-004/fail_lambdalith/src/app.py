from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()


@app.get("/orders")
def orders():
    return []


@app.get("/users/<uid>")
def user(uid):
    return {}


@app.post("/payments")
def payments():
    return {}


@app.get("/reports")
def reports():
    return []


@app.get("/admin/stats")
def stats():
    return {}


@app.get("/exports")
def exports():
    return []


def handler(event, context):
    return app.resolve(event, context)
