from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from routes import files

app = APIGatewayRestResolver()
app.include_router(files.router, prefix="/files")


@app.get("/download/<name>")
def download(name: str):
    with open(f"/mnt/files/{name}") as fh:
        return {"content": fh.read()}


def entry(event, context):
    return app.resolve(event, context)
