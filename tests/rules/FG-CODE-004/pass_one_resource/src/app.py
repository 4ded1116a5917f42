from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()


@app.get("/orders")
def list_orders():
    return []


@app.get("/orders/<oid>")
def get_order(oid):
    return {}


@app.post("/orders")
def create_order():
    return {}


def handler(event, context):
    return app.resolve(event, context)
