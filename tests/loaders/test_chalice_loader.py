"""The Chalice loader: config.json stages and app.py read with ast, never imported."""

from __future__ import annotations

import json
from pathlib import Path

from faasguard.api import ScanOptions, scan
from faasguard.engine import load_applications
from faasguard.findings import ScanError
from faasguard.model import Application, AuthKind, Function, SourceRef, TriggerKind, Unknown


def _project(root: Path, config: dict[str, object], app_py: str, files: dict[str, str] | None = None) -> None:
    (root / ".chalice").mkdir(parents=True, exist_ok=True)
    (root / ".chalice" / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    (root / "app.py").write_text(app_py)
    for name, body in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)


def _load(tmp_path: Path, **options: object) -> tuple[Application, list[ScanError]]:
    apps, errors, _ = load_applications(tmp_path.resolve(), ScanOptions(**options))  # type: ignore[arg-type]
    assert len(apps) == 1, errors
    return apps[0], errors


def _fn(app: Application, fid: str) -> Function:
    fn = app.function(fid)
    assert fn is not None, [f.id for f in app.functions]
    return fn


APP = """\
import os
from chalice import Chalice, IAMAuthorizer, CognitoUserPoolAuthorizer, CustomAuthorizer, Rate
from chalicelib.users import bp as users
from chalicelib import admin

app = Chalice(app_name="shop")
iam = IAMAuthorizer()
pool = CognitoUserPoolAuthorizer("users", provider_arns=["arn:aws:cognito-idp:us-east-1:1:userpool/x"])
custom = CustomAuthorizer("legacy", authorizer_uri="arn:aws:apigateway:...", header="Authorization")
app.register_blueprint(users, url_prefix="/users", name_prefix="users_")
app.register_blueprint(admin.bp, url_prefix="/admin")

open("/tmp/faasguard-chalice-imported", "w").write("imported")


@app.authorizer()
def token_auth(auth_request):
    return None


@app.route("/")
def index():
    return {}


@app.route("/orders", methods=["POST", "PUT"], authorizer=iam)
def orders():
    return app.current_request.json_body


@app.route("/me", authorizer=pool, api_key_required=True)
def me():
    return {}


@app.route("/legacy", authorizer=custom)
def legacy():
    return {}


@app.route("/token", authorizer=token_auth, cors=True)
def token():
    return {}


@app.lambda_function(name="worker")
def work(event, context):
    return {}


@app.on_s3_event(bucket="uploads", events=["s3:ObjectCreated:*"])
def on_upload(event):
    pass


@app.on_sns_message(topic="alerts")
def on_alert(event):
    pass


@app.on_sqs_message(queue="jobs", batch_size=5)
def on_job(event):
    pass


@app.schedule(Rate(5, unit=Rate.MINUTES))
def every_five(event):
    pass


@app.on_cw_event({"source": ["aws.ec2"]})
def on_ec2(event):
    pass


@app.on_kinesis_record(stream="clicks")
def on_click(event):
    pass


@app.on_dynamodb_record(stream_arn="arn:aws:dynamodb:us-east-1:1:table/t/stream/x")
def on_change(event):
    pass
"""

USERS = """\
from chalice import Blueprint

bp = Blueprint(__name__)


@bp.route("/{user_id}")
def get_user(user_id):
    return {}


@bp.lambda_function()
def sync(event, context):
    return {}
"""

ADMIN = """\
from chalice import Blueprint, IAMAuthorizer

bp = Blueprint(__name__)
admin_auth = IAMAuthorizer()


@bp.route("/stats", authorizer=admin_auth)
def stats():
    return {}
"""

CONFIG = {
    "version": "2.0",
    "app_name": "shop",
    "environment_variables": {"SHARED": "top", "TOP_ONLY": "1"},
    "lambda_timeout": 30,
    "lambda_functions": {"worker": {"lambda_memory_size": 2048}},
    "stages": {
        "dev": {
            "api_gateway_stage": "v1",
            "xray": True,
            "reserved_concurrency": 50,
            "log_retention_in_days": 14,
            "environment_variables": {"SHARED": "stage"},
            "lambda_functions": {
                "api_handler": {"lambda_timeout": 25, "environment_variables": {"FN": "api"}},
                "worker": {"reserved_concurrency": 2},
            },
        },
        "prod": {"api_gateway_endpoint_type": "PRIVATE", "api_gateway_endpoint_vpce": "vpce-1"},
    },
}


def _shop(tmp_path: Path) -> None:
    _project(
        tmp_path,
        CONFIG,
        APP,
        {"chalicelib/__init__.py": "", "chalicelib/users.py": USERS, "chalicelib/admin.py": ADMIN},
    )


def test_functions_settings_follow_chalices_lookup_order(tmp_path: Path) -> None:
    _shop(tmp_path)
    marker = Path("/tmp/faasguard-chalice-imported")
    marker.unlink(missing_ok=True)
    app, errors = _load(tmp_path)
    assert not marker.exists(), "app.py must never be imported"
    assert errors == []
    assert app.kind == "chalice" and app.root == "."
    api = _fn(app, "APIHandler")
    assert (api.name, api.handler, api.handler_file) == ("shop-dev", "app.app", "app.py")
    assert (api.timeout, api.memory, api.reserved_concurrency, api.tracing) == (25, 128, 50, True)
    assert api.source == SourceRef("app.py", 6, 6)
    assert {v.name: v.value for v in api.environment} == {"SHARED": "stage", "TOP_ONLY": "1", "FN": "api"}
    worker = _fn(app, "Worker")
    assert (worker.name, worker.handler, worker.timeout, worker.memory, worker.reserved_concurrency) == (
        "shop-dev-worker",
        "app.work",
        30,
        2048,
        2,
    )
    assert worker.loc("MemorySize").path == ".chalice/config.json"
    assert worker.source == SourceRef("app.py", 46, 48)
    sync = _fn(app, "UsersSync")
    assert (sync.handler, sync.handler_file) == ("chalicelib.users.sync", "chalicelib/users.py")
    assert api.log_group is not None
    assert {g.retention_days for g in app.log_groups} == {14}
    assert set(app.files) >= {".chalice/config.json", "app.py", "chalicelib/users.py", "chalicelib/admin.py"}


def test_routes_authorizers_and_blueprints(tmp_path: Path) -> None:
    _shop(tmp_path)
    app, _ = _load(tmp_path)
    routes = {
        (r.method, r.path): (r.auth.kind, r.auth.api_key_required, r.handler, r.handler_file, r.function)
        for r in app.routes
    }
    assert routes == {
        ("GET", "/"): (AuthKind.NONE, False, "app.index", "app.py", "APIHandler"),
        ("POST", "/orders"): (AuthKind.IAM, False, "app.orders", "app.py", "APIHandler"),
        ("PUT", "/orders"): (AuthKind.IAM, False, "app.orders", "app.py", "APIHandler"),
        ("GET", "/me"): (AuthKind.COGNITO, True, "app.me", "app.py", "APIHandler"),
        ("GET", "/legacy"): (AuthKind.LAMBDA, False, "app.legacy", "app.py", "APIHandler"),
        ("GET", "/token"): (AuthKind.LAMBDA, False, "app.token", "app.py", "APIHandler"),
        ("GET", "/users/{user_id}"): (
            AuthKind.NONE,
            False,
            "chalicelib.users.get_user",
            "chalicelib/users.py",
            "APIHandler",
        ),
        ("GET", "/admin/stats"): (
            AuthKind.IAM,
            False,
            "chalicelib.admin.stats",
            "chalicelib/admin.py",
            "APIHandler",
        ),
    }
    me = next(r for r in app.routes if r.path == "/me")
    assert me.source == SourceRef("app.py", 31, 31)
    assert me.loc("Auth.ApiKeyRequired") == SourceRef("app.py", 31, 31)
    api = app.api("RestAPI")
    assert api is not None and api.implicit and api.endpoint_type == "EDGE"
    (stage,) = api.stages
    assert (stage.name, stage.tracing, stage.access_logging) == ("v1", True, False)
    assert stage.loc("TracingEnabled").path == ".chalice/config.json"
    assert all(r.public is True for r in app.routes)
    authorizer = _fn(app, "TokenAuth")
    assert authorizer.handler == "app.token_auth"
    assert any(
        p.function == "TokenAuth" and p.principal == "apigateway.amazonaws.com" for p in app.permissions
    )


def test_event_sources(tmp_path: Path) -> None:
    _shop(tmp_path)
    app, _ = _load(tmp_path)
    events = {t.function: (t.kind, t.target) for t in app.triggers if t.kind is not TriggerKind.REST_API}
    assert events == {
        "OnUpload": (TriggerKind.S3, "uploads"),
        "OnAlert": (TriggerKind.SNS, "alerts"),
        "OnJob": (TriggerKind.SQS, "jobs"),
        "EveryFive": (TriggerKind.SCHEDULE, "rate(5 minutes)"),
        "OnEc2": (TriggerKind.EVENTBRIDGE, "default"),
        "OnClick": (TriggerKind.KINESIS, "clicks"),
        "OnChange": (TriggerKind.DYNAMODB_STREAM, "arn:aws:dynamodb:us-east-1:1:table/t/stream/x"),
    }
    s3 = next(p for p in app.permissions if p.function == "OnUpload")
    assert (s3.principal, s3.source_arn, s3.implicit) == ("s3.amazonaws.com", "arn:aws:s3:::uploads", True)


def test_private_stage_has_no_public_routes(tmp_path: Path) -> None:
    _shop(tmp_path)
    app, _ = _load(tmp_path, stage="prod")
    api = app.api("RestAPI")
    assert api is not None and api.private and api.resource_policy is not None
    assert [s.name for s in api.stages] == ["api"]
    assert {r.public for r in app.routes} == {False}
    assert _fn(app, "APIHandler").timeout == 30


def test_autogen_policy_role_is_shared_and_unknown(tmp_path: Path) -> None:
    _shop(tmp_path)
    app, _ = _load(tmp_path)
    assert {f.role for f in app.functions} == {"DefaultRole"}
    role = app.role("DefaultRole")
    assert role is not None and role.name == "shop-dev"
    (policy,) = role.policies
    assert policy.unresolved and policy.statements == ()
    assert app.unknowns >= 1


def test_policy_file_gives_each_function_its_role(tmp_path: Path) -> None:
    policy = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
        '    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}\n'
        "  ]\n}\n"
    )
    _project(
        tmp_path,
        {"app_name": "a", "stages": {"dev": {"autogen_policy": False, "iam_policy_file": "custom.json"}}},
        (
            'from chalice import Chalice\napp = Chalice(app_name="a")\n\n\n'
            "@app.lambda_function()\ndef one(e, c):\n    pass\n\n\n"
            "@app.lambda_function()\ndef two(e, c):\n    pass\n"
        ),
        {".chalice/custom.json": policy},
    )
    app, errors = _load(tmp_path)
    assert errors == []
    assert {f.id: f.role for f in app.functions} == {"One": "OneRole", "Two": "TwoRole"}
    role = app.role("OneRole")
    assert role is not None and role.implicit
    ((_, st),) = list(role.statements())
    assert (st.actions, st.resources, st.source.path, st.source.line) == (
        ("s3:GetObject",),
        ("*",),
        ".chalice/custom.json",
        4,
    )


def test_default_policy_file_and_missing_file(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {"app_name": "a", "autogen_policy": False},
        'from chalice import Chalice\napp = Chalice(app_name="a")\n\n\n@app.route("/")\ndef i():\n    pass\n',
    )
    app, errors = _load(tmp_path)
    assert [(e.path, e.kind) for e in errors] == [(".chalice/config.json", "io")]
    assert "policy-dev.json" in errors[0].message
    role = app.role("APIHandlerRole")
    assert role is not None and role.policies[0].unresolved


def test_external_role(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {"app_name": "a", "manage_iam_role": False, "iam_role_arn": "arn:aws:iam::1:role/r"},
        'from chalice import Chalice\napp = Chalice(app_name="a")\n\n\n@app.route("/")\ndef i():\n    pass\n',
    )
    app, _ = _load(tmp_path)
    role = _fn(app, "APIHandler").role
    assert isinstance(role, Unknown) and app.roles == ()


def test_custom_domain_and_websocket(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "app_name": "a",
            "api_gateway_custom_domain": {
                "domain_name": "api.example.com",
                "certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x",
                "tls_version": "TLS_1_0",
            },
        },
        (
            'from chalice import Chalice\napp = Chalice(app_name="a")\n\n\n'
            '@app.route("/")\ndef i():\n    pass\n\n\n'
            "@app.on_ws_connect()\ndef connect(event):\n    pass\n\n\n"
            "@app.on_ws_message()\ndef message(event):\n    pass\n"
        ),
    )
    app, _ = _load(tmp_path)
    api = app.api("RestAPI")
    assert api is not None
    (domain,) = api.domains
    assert (domain.name, domain.security_policy) == ("api.example.com", "TLS_1_0")
    assert domain.loc("SecurityPolicy") == SourceRef(".chalice/config.json", 6, 6)
    ws = {(r.api, r.path, r.function) for r in app.routes if r.api == "WebsocketAPI"}
    assert ws == {
        ("WebsocketAPI", "$connect", "WebsocketConnect"),
        ("WebsocketAPI", "$default", "WebsocketMessage"),
    }


def test_broken_code_and_missing_app_are_errors(tmp_path: Path) -> None:
    _project(tmp_path / "broken", {"app_name": "b"}, "def (:\n")
    _project(
        tmp_path / "ok", {"app_name": "ok"}, 'from chalice import Chalice\napp = Chalice(app_name="ok")\n'
    )
    (tmp_path / "lonely" / ".chalice").mkdir(parents=True)
    (tmp_path / "lonely" / ".chalice" / "config.json").write_text("{}")
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert [(e.path, e.line, e.kind) for e in result.errors] == [
        ("broken/.chalice/config.json", None, "parse"),
        ("broken/app.py", 1, "parse"),
    ]
    assert result.applications == ["ok"]


def test_unresolvable_blueprint_is_reported(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {"app_name": "a"},
        (
            "from chalice import Chalice\nfrom somewhere_else import bp\n\n"
            "app = Chalice(app_name='a')\napp.register_blueprint(bp)\n"
        ),
    )
    _, errors = _load(tmp_path)
    assert [(e.path, e.line, e.kind) for e in errors] == [("app.py", 5, "unsupported")]
