"""In-code routers: Powertools, Chalice, Flask and FastAPI behind adapters, batch processing."""

from __future__ import annotations

from pathlib import Path

from test_python_support import analyse, flows, sam

from faasguard.analysis.code.analyse import ScanCache, analyse_app
from faasguard.model import Application, Function, SourceRef, Trigger, TriggerKind


def test_powertools_resolver_routes_and_current_event(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.lambda_handler", "proxy"),
            "src/app.py": """
            import os

            from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
            from aws_lambda_powertools.logging import correlation_paths
            from aws_lambda_powertools import Logger

            logger = Logger()
            app = APIGatewayHttpResolver()

            @app.get("/todos/<todo_id>")
            def get_todo(todo_id: str):
                os.system("grep " + todo_id + " todos.txt")
                return {"id": todo_id}

            @app.post("/todos")
            def create_todo():
                body = app.current_event.json_body
                os.system("echo " + body["title"])
                user = app.current_event.request_context.authorizer.jwt_claim["sub"]
                os.system("echo " + user)
                return {}

            @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
            def lambda_handler(event, context):
                return app.resolve(event, context)
            """,
        },
    )
    fc = code.functions["Fn"]
    assert fc.routes == ("GET /todos/<todo_id>", "POST /todos")
    assert {(f.family, f.field, f.sink_ref.line) for f in fc.flows} == {
        ("command", "pathParameters.todo_id", 12),
        ("command", "body.title", 18),
    }


def test_powertools_data_classes_and_batch_record_handlers(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "sqs"),
            "src/app.py": """
            import subprocess

            from aws_lambda_powertools.utilities.batch import (
                BatchProcessor,
                EventType,
                process_partial_response,
            )
            from aws_lambda_powertools.utilities.data_classes import SQSEvent, event_source

            processor = BatchProcessor(event_type=EventType.SQS)

            def record_handler(record):
                subprocess.run("process " + record.json_body["job"], shell=True)

            def handler(event, context):
                return process_partial_response(
                    event=event, record_handler=record_handler, processor=processor, context=context
                )

            @event_source(data_class=SQSEvent)
            def other(event: SQSEvent, context):
                for record in event.records:
                    subprocess.run("process " + record.body, shell=True)
            """,
        },
    )
    assert got == {("command", "Records[].body.job", "src/app.py:13")}


def test_chalice_app_routes_blueprints_and_event_handlers(tmp_path: Path) -> None:
    files = {
        "template.yaml": "\n".join(
            [
                "Transform: AWS::Serverless-2016-10-31",
                "Resources:",
                "  Queue:",
                "    Type: AWS::SQS::Queue",
                "  APIHandler:",
                "    Type: AWS::Serverless::Function",
                "    Properties: {CodeUri: ./, Handler: app.app, Runtime: python3.12,",
                "      Events: {Api: {Type: Api, Properties: {Path: '/{proxy+}', Method: any}}}}",
                "  Worker:",
                "    Type: AWS::Serverless::Function",
                "    Properties: {CodeUri: ./, Handler: app.worker, Runtime: python3.12,",
                "      Events: {Q: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}}}",
            ]
        )
        + "\n",
        "app.py": """
        import os

        from chalice import Chalice

        from chalicelib.admin import admin

        app = Chalice(app_name="shop")
        app.register_blueprint(admin, url_prefix="/admin")

        @app.route("/files/{name}", methods=["GET"])
        def get_file(name):
            with open("/data/" + name) as fh:
                return fh.read()

        @app.route("/echo", methods=["POST"])
        def echo():
            os.system("echo " + app.current_request.json_body["text"])
            return {}

        @app.on_sqs_message(queue="jobs")
        def worker(event):
            for record in event:
                os.system("run " + record.body)
        """,
        "chalicelib/__init__.py": "",
        "chalicelib/admin.py": """
        import os

        from chalice import Blueprint

        admin = Blueprint(__name__)

        @admin.route("/reset")
        def reset():
            os.system("reset " + admin.current_request.query_params["what"])
            return {}
        """,
    }
    code, _ = analyse(tmp_path, files)
    api = {(f.field, f.sink_ref.path, f.sink_ref.line) for f in code.functions["APIHandler"].flows}
    assert api == {
        ("pathParameters.name", "app.py", 12),
        ("body.text", "app.py", 17),
        ("queryStringParameters.what", "chalicelib/admin.py", 9),
    }
    worker = {(f.field, f.sink_ref.line) for f in code.functions["Worker"].flows}
    assert worker == {("Records[].body", 23)}


def test_flask_and_fastapi_behind_adapters(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("main.handler", "proxy"),
            "src/main.py": """
            import subprocess

            from fastapi import FastAPI, Request
            from mangum import Mangum
            from pydantic import BaseModel

            app = FastAPI()

            class Order(BaseModel):
                item: str

            @app.get("/items/{item_id}")
            def read_item(item_id: str, limit: int = 10, q: str | None = None):
                subprocess.run(f"lookup {item_id} {limit}", shell=True)
                subprocess.run(f"search {q}", shell=True)
                return {}

            @app.post("/orders")
            def create(order: Order):
                subprocess.run("order " + order.item, shell=True)
                return {}

            @app.post("/raw")
            async def raw(request: Request):
                data = await request.json()
                subprocess.run("raw " + data["cmd"], shell=True)
                return {}

            handler = Mangum(app)
            """,
        },
    )
    assert got == {
        ("command", "pathParameters.item_id", "src/main.py:14"),
        ("command", "queryStringParameters.q", "src/main.py:15"),
        ("command", "body.cmd", "src/main.py:26"),
    }


def test_alb_and_public_unauthenticated_exposure(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        "import os\n\n\ndef handler(event, context):\n    os.system(event['headers']['host'])\n"
        "    os.system(event['queryStringParameters']['q'])\n",
        encoding="utf-8",
    )
    ref = SourceRef("template.yaml", 3, 3)
    fn = Function(
        "Fn", ref, runtime="python3.12", handler="app.handler", code_uri="src", handler_file="src/app.py"
    )
    alb = Trigger(TriggerKind.ALB, "Fn", SourceRef("template.yaml", 9, 9), target="Lb", public=True)
    app = Application(".", "cloudformation", ref, functions=(fn,), triggers=(alb,))
    code = analyse_app(app, ScanCache(tmp_path.resolve()))
    got = {
        (f.field, f.exposure.kind if f.exposure else None, f.sink_ref.line)
        for f in code.functions["Fn"].flows
    }
    # An ALB passes the client's Host header through (API Gateway routes on it).
    assert got == {("headers.host", "alb", 5), ("queryStringParameters.q", "alb", 6)}
    assert all(f.exposure is not None and f.exposure.public for f in code.functions["Fn"].flows)
