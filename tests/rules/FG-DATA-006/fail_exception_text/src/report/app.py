from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.exceptions import InternalServerError

app = APIGatewayRestResolver()


@app.get("/report")
def report():
    try:
        return {"rows": build()}
    except Exception as exc:
        raise InternalServerError(f"report failed: {exc}") from exc


def build():
    return []


def handler(event, context):
    return app.resolve(event, context)
