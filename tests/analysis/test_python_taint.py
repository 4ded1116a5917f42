"""The taint engine on Python handlers: propagation, sanitisers, guards, helpers across modules."""

from __future__ import annotations

from pathlib import Path

from test_python_support import analyse, flows, sam


def test_handler_named_anything_with_any_parameter_names(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("service.do_work"),
            "src/service.py": """
            import os

            def do_work(evt, ctx):
                os.system("echo " + evt["queryStringParameters"]["msg"])

            def handler(event, context):
                os.system(event["body"])
            """,
        },
    )
    # `handler` is not the handler the template names: it is never called.
    assert got == {("command", "queryStringParameters.msg", "src/service.py:4")}


def test_string_building_and_decoding_keep_the_field(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "httpapi"),
            "src/app.py": """
            import base64
            import json
            import os
            import subprocess
            from urllib.parse import unquote

            def handler(event, context):
                body = json.loads(base64.b64decode(event["body"]))
                name = unquote(body["name"])
                os.system("ls %s" % name)
                os.popen("cat {}".format(body["file"]))
                parts = ["tar", "-czf", "/tmp/x.tgz"]
                cmd = " ".join(parts) + " " + body["dir"]
                subprocess.call(cmd, shell=True)
            """,
        },
    )
    assert got == {
        ("command", "body.name", "src/app.py:10"),
        ("command", "body.file", "src/app.py:11"),
        ("command", "body.dir", "src/app.py:14"),
    }


def test_containers_unpacking_comprehensions_and_loops(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "sqs"),
            "src/app.py": """
            import json
            import os

            def handler(event, context):
                names = [json.loads(r["body"])["name"] for r in event["Records"]]
                first, *rest = names
                os.system("touch " + first)
                config = {"target": event["Records"][0]["body"], "mode": "fast"}
                os.system("echo " + config["target"])
                os.system("echo " + config["mode"])
                for key, value in json.loads(event["Records"][0]["body"]).items():
                    open("/tmp/" + value)
            """,
        },
    )
    assert got == {
        ("command", "Records[].body.name", "src/app.py:7"),
        ("command", "Records[].body", "src/app.py:9"),
        ("command", "Records[].body", "src/app.py:10"),
        ("path", "Records[].body[][]", "src/app.py:12"),
    }


def test_flows_through_helpers_in_other_modules_and_packages(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("handlers.api.entry"),
            "src/handlers/__init__.py": "",
            "src/handlers/api.py": """
            from lib import storage
            from lib.storage import Reader
            from .local import normalise

            def entry(event, context):
                name = normalise(event["queryStringParameters"]["name"])
                storage.read_file(name)
                Reader("/srv").open_named(event["queryStringParameters"]["other"])
                return {"statusCode": 200}
            """,
            "src/handlers/local.py": """
            def normalise(value):
                return value.strip().lower()
            """,
            "src/lib/__init__.py": "",
            "src/lib/storage.py": """
            import os

            def read_file(name):
                return _open(os.path.join("/srv/files", name))

            def _open(path):
                with open(path) as fh:
                    return fh.read()

            class Reader:
                def __init__(self, base):
                    self.base = base

                def open_named(self, name):
                    return open(self.base + "/" + name).read()
            """,
        },
    )
    assert got == {
        ("path", "queryStringParameters.name", "src/lib/storage.py:7"),
        ("path", "queryStringParameters.other", "src/lib/storage.py:15"),
    }


def test_async_handlers_and_methods(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import asyncio
            import subprocess

            class Job:
                def __init__(self, event):
                    self.name = event["queryStringParameters"]["job"]

                async def run(self):
                    await self._spawn(self.name)

                async def _spawn(self, what):
                    subprocess.run("run-job " + what, shell=True)

            async def main(event):
                job = Job(event)
                await job.run()

            def handler(event, context):
                return asyncio.run(main(event))
            """,
        },
    )
    assert got == {("command", "queryStringParameters.job", "src/app.py:12")}


def test_sanitisers_are_per_sink_family(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import os
            import shlex
            import sqlite3

            def handler(event, context):
                name = shlex.quote(event["queryStringParameters"]["name"])
                os.system("touch " + name)
                db = sqlite3.connect("/tmp/x.db")
                db.execute("SELECT * FROM t WHERE n = " + name)
                base = os.path.basename(event["queryStringParameters"]["file"])
                open("/tmp/" + base)
                os.system("cat " + base)
            """,
        },
    )
    assert got == {
        ("sql", "queryStringParameters.name", "src/app.py:9"),
        ("command", "queryStringParameters.file", "src/app.py:12"),
    }


def test_guards_and_reassignment(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import os

            ACTIONS = ("start", "stop")

            def handler(event, context):
                q = event["queryStringParameters"]
                if q["action"] in ACTIONS:
                    os.system("svc " + q["action"])
                os.system("svc " + q["action"])
                size = q["size"]
                if not size.isdigit():
                    return {"statusCode": 400}
                os.system("truncate -s " + size + " f")
                mode = q["mode"]
                if mode != "fast":
                    mode = "slow"
                os.system("run --" + mode)
            """,
        },
    )
    assert got == {("command", "queryStringParameters.action", "src/app.py:9")}


def test_dispatch_tables_and_callbacks(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import os

            def do_ping(params):
                os.system("ping -c1 " + params["host"])

            def do_echo(params):
                return params["text"]

            ROUTES = {"ping": do_ping, "echo": do_echo}

            def shout(text):
                os.system("echo " + text.upper())

            def handler(event, context):
                params = event["queryStringParameters"]
                ROUTES[params["op"]](params)
                list(map(shout, params["words"].split(",")))
            """,
        },
    )
    assert got == {
        ("command", "queryStringParameters.host", "src/app.py:4"),
        ("command", "queryStringParameters.words[]", "src/app.py:12"),
    }


def test_second_order_sources_are_lower_confidence(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "schedule"),
            "src/app.py": """
            import pickle

            import boto3
            import requests

            s3 = boto3.client("s3")
            table = boto3.resource("dynamodb").Table("jobs")

            def handler(event, context):
                blob = s3.get_object(Bucket="b", Key="k")["Body"].read()
                pickle.loads(blob)
                item = table.get_item(Key={"id": "1"})["Item"]
                eval(item["expr"])
                feed = requests.get("https://partner.example.com/feed", timeout=5).json()
                requests.get(feed["next"], timeout=5)
                eval(event["detail"]["expr"])
            """,
        },
    )
    got = {(f.family, f.field, f.source_kind, f.confidence) for f in code.functions["Fn"].flows}
    assert got == {
        ("deserialisation", "an S3 object", "second-order", "low"),
        ("code", "a DynamoDB item", "second-order", "low"),
        ("ssrf", "a third-party HTTP response", "second-order", "low"),
    }


def test_unknown_trigger_event_is_attacker_controlled_but_aws_fields_are_not(tmp_path: Path) -> None:
    code, _ = analyse(
        tmp_path,
        {
            "template.yaml": sam("app.handler", None),
            "src/app.py": """
            import os
            import urllib.request

            def handler(event, context):
                os.system("run " + event["job"])
                urllib.request.urlopen(event["ResponseURL"])
            """,
        },
    )
    [flow] = code.functions["Fn"].flows
    assert (flow.family, flow.field, flow.confidence, flow.exposure) == ("command", "job", "medium", None)


def test_authorisation_on_client_supplied_fields(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler", "httpapi"),
            "src/app.py": """
            import json

            def handler(event, context):
                body = json.loads(event["body"])
                claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
                if claims["role"] == "admin":
                    pass
                if body.get("role") == "admin":
                    return {"statusCode": 200}
                if body["action"] == "archive":
                    return {"statusCode": 202}
                if body["owner"] == "root":
                    return {"statusCode": 200}
                return {"statusCode": 403}
            """,
        },
    )
    assert got == {("authz", "body.role", "src/app.py:8"), ("authz", "body.owner", "src/app.py:12")}


def test_recursion_and_deep_call_chains_terminate(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": """
            import os

            def walk(value, depth):
                if depth > 3:
                    os.system("echo " + value)
                    return value
                return walk(value + "/", depth + 1)

            def handler(event, context):
                walk(event["queryStringParameters"]["v"], 0)
            """,
        },
    )
    assert got == {("command", "queryStringParameters.v", "src/app.py:5")}


def test_severity_context_public_route_versus_queue(tmp_path: Path) -> None:
    from faasguard.api import ScanOptions, scan

    files = {
        "template.yaml": sam("app.handler", "sqs"),
        "src/app.py": """
        import os

        def handler(event, context):
            os.system(event["Records"][0]["body"])
        """,
    }
    from test_python_support import write

    write(tmp_path / "queue", files)
    write(tmp_path / "api", {**files, "template.yaml": sam("app.handler", "api")})
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    by_app = {f.application: f.severity.value for f in result.findings}
    assert by_app == {"queue": "high"}  # the API function reads a field its event never has
    (tmp_path / "api" / "src" / "app.py").write_text(
        "import os\n\n\ndef handler(event, context):\n    os.system(event['body'])\n", encoding="utf-8"
    )
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    assert {f.application: f.severity.value for f in result.findings} == {"queue": "high", "api": "critical"}


def test_handler_forms_instances_lambdas_and_reexports(tmp_path: Path) -> None:
    template = "\n".join(
        [
            "Transform: AWS::Serverless-2016-10-31",
            "Resources:",
            *(
                f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties: {{CodeUri: src/, "
                f"Handler: {handler}, Runtime: python3.12, Events: {{E: {{Type: Api, Properties: "
                f"{{Path: /{name.lower()}, Method: get}}}}}}}}"
                for name, handler in (
                    ("Inst", "inst.handler"),
                    ("Lam", "lam.handler"),
                    ("Re", "re_export.handler"),
                )
            ),
        ]
    )
    got = flows(
        tmp_path,
        {
            "template.yaml": template + "\n",
            "src/inst.py": """
            import subprocess

            class Handler:
                def __call__(self, event, context):
                    subprocess.run(["sh", "-c", "echo " + event["queryStringParameters"]["cmd"]])
                    subprocess.run(["echo", event["queryStringParameters"]["arg"]])

            handler = Handler()
            """,
            "src/lam.py": """
            import os

            handler = lambda event, context: run(event)

            def run(e):
                return os.popen(e["queryStringParameters"]["x"]).read()
            """,
            "src/re_export.py": "from impl.main import handler\n",
            "src/impl/__init__.py": "",
            "src/impl/main.py": """
            import json

            import yaml

            def handler(event, context):
                data = json.loads(event.get("body") or "{}")
                return yaml.load(data.get("config", ""), Loader=yaml.Loader)
            """,
        },
    )
    assert got == {
        ("command", "queryStringParameters.cmd", "src/inst.py:5"),
        ("command", "queryStringParameters.x", "src/lam.py:6"),
        ("deserialisation", "body.config", "src/impl/main.py:7"),
    }
