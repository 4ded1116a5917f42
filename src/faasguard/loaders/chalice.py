"""Chalice projects (.chalice/config.json beside app.py) into the application model.

The configuration gives the stage settings: per-function `lambda_functions` entries, the stage,
then the top level (environment variables are merged across them), `lambda_timeout` (default 60),
`lambda_memory_size` (128), `reserved_concurrency`, `xray`, `subnet_ids` /
`security_group_ids`, `layers`, `log_retention_in_days`, `manage_iam_role` / `iam_role_arn`,
`autogen_policy` / `iam_policy_file`, `api_gateway_stage` (default `api`),
`api_gateway_endpoint_type`, `api_gateway_policy_file` and `api_gateway_custom_domain`.

The routes and event handlers come from app.py read with `ast` (never imported): `@app.route`,
`@app.authorizer`, `@app.lambda_function`, `@app.on_s3_event`, `@app.on_sns_message`,
`@app.on_sqs_message`, `@app.schedule`, `@app.on_cw_event`, `@app.on_kinesis_record`,
`@app.on_dynamodb_record`, the WebSocket handlers, and the same decorators on blueprints
registered with `app.register_blueprint`. All routes are served by one function, `APIHandler`
(`app.app`, as Chalice deploys them); each route also names the view that handles it
(`Route.handler`, `Route.handler_file`) so code analysis knows where its input arrives.

Roles follow Chalice: with `autogen_policy` (the default) one role is shared and its policy is
generated from the code at deployment, so its grants are Unknown here; with `autogen_policy:
false` each function gets its own role with the statements of the policy file; with
`manage_iam_role: false` the role is `iam_role_arn`, defined elsewhere.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from faasguard.findings import ScanError
from faasguard.loaders.build import ApiDraft, Builder, RouteDraft
from faasguard.loaders.cloudformation import LoadOptions, _settle
from faasguard.loaders.discover import Candidate
from faasguard.loaders.intrinsics import Resolver
from faasguard.loaders.nodes import LMap, line_of
from faasguard.loaders.policy_doc import parse_policy
from faasguard.loaders.reader import ReadFailure, is_inside, load_structured, read_text
from faasguard.model import (
    ApiKind,
    Application,
    Auth,
    AuthKind,
    EnvVar,
    Layer,
    LogGroup,
    ManagedPolicyRef,
    Permission,
    Policy,
    SourceRef,
    Stage,
    Statement,
    Trigger,
    TriggerKind,
    Unknown,
)

REST_API = "RestAPI"
WEBSOCKET_API = "WebsocketAPI"
API_HANDLER = "APIHandler"
DEFAULT_ROLE = "DefaultRole"
DEFAULT_TIMEOUT = 60
DEFAULT_MEMORY = 128
BASIC_LOGGING = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
MAX_MODULES = 64  # blueprint modules read per project

_EVENT_DECORATORS = {
    "on_s3_event": TriggerKind.S3,
    "on_sns_message": TriggerKind.SNS,
    "on_sqs_message": TriggerKind.SQS,
    "schedule": TriggerKind.SCHEDULE,
    "on_cw_event": TriggerKind.EVENTBRIDGE,
    "on_kinesis_record": TriggerKind.KINESIS,
    "on_dynamodb_record": TriggerKind.DYNAMODB_STREAM,
}
_PUSH_PRINCIPALS = {
    TriggerKind.S3: "s3.amazonaws.com",
    TriggerKind.SNS: "sns.amazonaws.com",
    TriggerKind.SCHEDULE: "events.amazonaws.com",
    TriggerKind.EVENTBRIDGE: "events.amazonaws.com",
}
# The argument naming an event source, by decorator: (keyword, position).
_SOURCE_ARG = {
    "on_s3_event": ("bucket", 0),
    "on_sns_message": ("topic", 0),
    "on_sqs_message": ("queue", 0),
    "schedule": ("expression", 0),
    "on_cw_event": ("event_pattern", 0),
    "on_kinesis_record": ("stream", 0),
    "on_dynamodb_record": ("stream_arn", 0),
}
_WS_DECORATORS = {
    "on_ws_connect": ("websocket_connect", "$connect"),
    "on_ws_message": ("websocket_message", "$default"),
    "on_ws_disconnect": ("websocket_disconnect", "$disconnect"),
}
_AUTHORIZER_CLASSES = {
    "IAMAuthorizer": AuthKind.IAM,
    "CognitoUserPoolAuthorizer": AuthKind.COGNITO,
    "CustomAuthorizer": AuthKind.LAMBDA,
}


def cfn_name(name: str) -> str:
    """A Chalice resource name as a CloudFormation logical id (`on_upload` -> `OnUpload`)."""
    parts = [p for p in re.split(r"[-_]+", name) if p]
    return re.sub(r"[^A-Za-z0-9]+", "", "".join(p[:1].upper() + p[1:] for p in parts)) or "Function"


# --- reading the code --------------------------------------------------------------------------


@dataclass
class _Module:
    rel: str  # file relative to the scan root
    dotted: str  # module path relative to the project folder ("app", "chalicelib.users")
    tree: ast.Module
    apps: set[str] = field(default_factory=set)
    blueprints: set[str] = field(default_factory=set)
    authorizers: dict[str, tuple[AuthKind, str]] = field(default_factory=dict)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (module, attr)
    app_line: int = 1


@dataclass
class _Handler:
    """A decorated function: what it registers and where."""

    decorator: str
    call: ast.Call
    func: ast.FunctionDef | ast.AsyncFunctionDef
    module: _Module
    name_prefix: str = ""
    url_prefix: str = ""

    @property
    def name(self) -> str:
        explicit = _kwarg(self.call, "name")
        base = explicit if isinstance(explicit, str) else self.func.name
        return self.name_prefix + base

    @property
    def handler(self) -> str:
        return f"{self.module.dotted}.{self.func.name}"

    def source(self) -> SourceRef:
        first = min([d.lineno for d in self.func.decorator_list] + [self.func.lineno])
        return SourceRef(self.module.rel, first, self.func.end_lineno or self.func.lineno)

    def at(self) -> SourceRef:
        return SourceRef(self.module.rel, self.call.lineno, self.call.end_lineno or self.call.lineno)

    def kw_ref(self, name: str) -> SourceRef | None:
        for kw in self.call.keywords:
            if kw.arg == name:
                return SourceRef(self.module.rel, kw.value.lineno, kw.value.lineno)
        return None


def _literal(node: ast.AST | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return Unknown("a value computed by code")


def _kwarg(call: ast.Call, name: str, position: int | None = None) -> Any:
    for kw in call.keywords:
        if kw.arg == name:
            return _literal(kw.value)
    if position is not None and len(call.args) > position:
        return _literal(call.args[position])
    return None


def _call_name(node: ast.AST) -> str | None:
    """`Chalice(...)` / `chalice.Chalice(...)` -> "Chalice"."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class _Project:
    """The Python side of a Chalice project: modules read on demand, never executed."""

    def __init__(self, root: Path, project_dir: str, limits: Any, errors: list[ScanError]) -> None:
        self.root = root
        self.project_dir = project_dir
        self.limits = limits
        self.errors = errors
        self.modules: dict[str, _Module | None] = {}
        self.files: list[str] = []

    def module(self, dotted: str) -> _Module | None:
        if dotted in self.modules:
            return self.modules[dotted]
        if len(self.modules) >= MAX_MODULES:
            return None
        self.modules[dotted] = None
        base = (
            posixpath.join(self.project_dir, *dotted.split("."))
            if self.project_dir != "."
            else posixpath.join(*dotted.split("."))
        )
        for rel in (base + ".py", posixpath.join(base, "__init__.py")):
            rel = posixpath.normpath(rel)
            path = self.root / rel
            if rel.startswith("../") or not path.is_file():
                continue
            if not is_inside(path, self.root):
                self.errors.append(
                    ScanError(
                        rel, None, "refused: the path resolves outside the scanned folder", "outside-root"
                    )
                )
                return None
            try:
                text = read_text(path, self.root, self.limits)
                tree = ast.parse(text, filename=rel)
            except ReadFailure as exc:
                self.errors.append(ScanError(rel, exc.line, exc.message, exc.kind))
                return None
            except SyntaxError as exc:
                self.errors.append(ScanError(rel, exc.lineno, f"invalid Python: {exc.msg}", "parse"))
                return None
            except (ValueError, RecursionError, MemoryError):
                self.errors.append(ScanError(rel, None, "Python source nested too deeply to read", "bound"))
                return None
            mod = _Module(rel, dotted, tree)
            _index(mod)
            self.modules[dotted] = mod
            self.files.append(rel)
            return mod
        return None

    def authorizer(self, mod: _Module, node: ast.AST | None) -> Auth:
        """The Auth an `authorizer=` argument stands for."""
        if node is None:
            return Auth(AuthKind.NONE)
        if isinstance(node, ast.Constant) and node.value is None:
            return Auth(AuthKind.NONE)
        cls = _call_name(node)
        if cls in _AUTHORIZER_CLASSES:
            return Auth(_AUTHORIZER_CLASSES[cls], cls)
        if isinstance(node, ast.Name):
            if node.id in mod.authorizers:
                kind, label = mod.authorizers[node.id]
                return Auth(kind, label)
            target = mod.imports.get(node.id)
            if target is not None and target[1] is not None:
                other = self.module(target[0])
                if other is not None and target[1] in other.authorizers:
                    kind, label = other.authorizers[target[1]]
                    return Auth(kind, label)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = mod.imports.get(node.value.id)
            if target is not None:
                dotted = target[0] if target[1] is None else f"{target[0]}.{target[1]}"
                other = self.module(dotted)
                if other is not None and node.attr in other.authorizers:
                    kind, label = other.authorizers[node.attr]
                    return Auth(kind, label)
        return Auth(AuthKind.UNKNOWN)


def _index(mod: _Module) -> None:
    """Module-level names: Chalice apps, blueprints, authorizer objects, imports."""
    package = mod.dotted.rpartition(".")[0]
    for node in mod.tree.body:
        if isinstance(node, ast.Assign):
            cls = _call_name(node.value)
            for target in node.targets:
                if not isinstance(target, ast.Name):
                    continue
                if cls == "Chalice":
                    mod.apps.add(target.id)
                    mod.app_line = node.lineno
                elif cls == "Blueprint":
                    mod.blueprints.add(target.id)
                elif cls in _AUTHORIZER_CLASSES:
                    name = _kwarg(node.value, "name", 0) if isinstance(node.value, ast.Call) else None
                    label = name if isinstance(name, str) else target.id
                    mod.authorizers[target.id] = (_AUTHORIZER_CLASSES[cls], label)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                mod.imports[alias.asname or alias.name] = (base, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                mod.imports[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0],
                    None,
                )
    for node in mod.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                owner, method, call = _decorator(dec)
                if method == "authorizer" and owner in (mod.apps | mod.blueprints):
                    name = _kwarg(call, "name") if call is not None else None
                    mod.authorizers[node.name] = (
                        AuthKind.LAMBDA,
                        name if isinstance(name, str) else node.name,
                    )


def _decorator(dec: ast.AST) -> tuple[str | None, str | None, ast.Call | None]:
    call = dec if isinstance(dec, ast.Call) else None
    func = dec.func if isinstance(dec, ast.Call) else dec
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return (
            func.value.id,
            func.attr,
            call if call is not None else ast.Call(func=func, args=[], keywords=[]),
        )
    return None, None, None


def _handlers(mod: _Module, owners: set[str], name_prefix: str = "", url_prefix: str = "") -> list[_Handler]:
    out = []
    for node in mod.tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for dec in node.decorator_list:
            owner, method, call = _decorator(dec)
            if owner in owners and method is not None and call is not None:
                if not hasattr(call, "lineno"):
                    ast.copy_location(call, dec)
                    call.end_lineno = getattr(dec, "end_lineno", dec.lineno)
                out.append(_Handler(method, call, node, mod, name_prefix, url_prefix))
    return out


def _registered_blueprints(project: _Project, app_mod: _Module) -> list[tuple[_Module, str, str, str]]:
    """(module, blueprint variable, name_prefix, url_prefix) for each `app.register_blueprint`."""
    out = []
    for node in ast.walk(app_mod.tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "register_blueprint" or not isinstance(node.func.value, ast.Name):
            continue
        if node.func.value.id not in app_mod.apps or not node.args:
            continue
        name_prefix = _kwarg(node, "name_prefix", 1)
        url_prefix = _kwarg(node, "url_prefix", 2)
        target = node.args[0]
        found: tuple[_Module, str] | None = None
        if isinstance(target, ast.Name):
            if target.id in app_mod.blueprints:
                found = (app_mod, target.id)
            elif target.id in app_mod.imports:
                module, attr = app_mod.imports[target.id]
                other = project.module(module) if attr is not None else None
                if other is not None and attr in other.blueprints:
                    found = (other, attr)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            imported = app_mod.imports.get(target.value.id)
            if imported is not None:
                dotted = imported[0] if imported[1] is None else f"{imported[0]}.{imported[1]}"
                other = project.module(dotted)
                if other is not None and target.attr in other.blueprints:
                    found = (other, target.attr)
        if found is None:
            project.errors.append(
                ScanError(
                    app_mod.rel,
                    node.lineno,
                    "a blueprint registered here was not found in the project: its routes are not scanned",
                    "unsupported",
                )
            )
            continue
        out.append(
            (
                found[0],
                found[1],
                name_prefix if isinstance(name_prefix, str) else "",
                url_prefix if isinstance(url_prefix, str) else "",
            )
        )
    return out


# --- the loader --------------------------------------------------------------------------------


def load_candidate(
    cand: Candidate, root: Path, options: LoadOptions
) -> tuple[list[Application], list[ScanError]]:
    app, errors = load_chalice(cand.path, cand.rel, cand.app_root, root, options)
    return ([app] if app is not None else []), errors


class _Config:
    """config.json lookups in Chalice's order, remembering where each value is written."""

    def __init__(self, doc: LMap, stage: str) -> None:
        self.doc = doc
        self.stage = stage
        stages = doc.get("stages")
        found = stages.get(stage) if isinstance(stages, LMap) else None
        self.stage_cfg: LMap = found if isinstance(found, LMap) else LMap()
        self.stage_known = isinstance(stages, LMap) and stage in stages

    def _chain(self, function: str | None) -> list[LMap]:
        chain: list[LMap] = []
        if function is not None:
            fn = self.stage_cfg.get("lambda_functions")
            if isinstance(fn, LMap) and isinstance(fn.get(function), LMap):
                chain.append(fn[function])
        chain.append(self.stage_cfg)
        if function is not None:
            fn = self.doc.get("lambda_functions")
            if isinstance(fn, LMap) and isinstance(fn.get(function), LMap):
                chain.append(fn[function])
        chain.append(self.doc)
        return chain

    def get(self, key: str, function: str | None = None) -> tuple[Any, LMap | None]:
        for holder in self._chain(function):
            if holder.get(key) is not None:
                return holder[key], holder
        return None, None

    def merged(self, key: str, function: str | None) -> list[tuple[str, object, LMap]]:
        """A mapping merged from the top level up to the function in the stage (later wins)."""
        out: dict[str, tuple[str, object, LMap]] = {}
        for holder in reversed(self._chain(function)):
            block = holder.get(key)
            if isinstance(block, LMap):
                for name, value in block.items():
                    out[str(name)] = (str(name), value, block)
        return list(out.values())


def load_chalice(
    path: Path, rel: str, app_root: str, root: Path, options: LoadOptions
) -> tuple[Application | None, list[ScanError]]:
    errors: list[ScanError] = []
    try:
        doc = load_structured(path, root, options.limits)
    except ReadFailure as exc:
        return None, [ScanError(rel, exc.line, exc.message, exc.kind)]
    if not isinstance(doc, LMap):
        return None, [ScanError(rel, None, "not a Chalice configuration (no JSON object)", "parse")]
    stage = options.stage or "dev"
    project = _Project(root, app_root, options.limits, errors)
    app_mod = project.module("app")
    if app_mod is None:
        errors.append(ScanError(rel, None, "app.py beside .chalice/ could not be read: not scanned", "parse"))
        return None, errors
    loader = _Chalice(root, path, rel, app_root, doc, stage, project, app_mod, options)
    app = loader.load()
    return app, errors + loader.errors


class _Chalice:
    def __init__(
        self,
        root: Path,
        path: Path,
        rel: str,
        app_root: str,
        doc: LMap,
        stage: str,
        project: _Project,
        app_mod: _Module,
        options: LoadOptions,
    ) -> None:
        self.root = root
        self.rel = rel
        self.app_root = app_root
        self.cfg = _Config(doc, stage)
        self.stage = stage
        self.project = project
        self.app_mod = app_mod
        self.options = options
        self.b = Builder(root, path, rel, app_root, "chalice")
        self.errors: list[ScanError] = []
        name = doc.get("app_name")
        self.app_name = str(name) if isinstance(name, str) else "app"
        self.roles: dict[str, str] = {}  # role identifier -> role id
        self.route_handlers: dict[tuple[str, str], tuple[str, str]] = {}

    def ref(self, holder: LMap | None, key: str) -> SourceRef | None:
        if holder is None or key not in holder.key_lines:
            return None
        line = holder.key_lines[key]
        return SourceRef(self.rel, line, line)

    def load(self) -> Application:
        handlers = _handlers(self.app_mod, self.app_mod.apps)
        for mod, var, name_prefix, url_prefix in _registered_blueprints(self.project, self.app_mod):
            handlers.extend(_handlers(mod, {var}, name_prefix, url_prefix))
        routes = [h for h in handlers if h.decorator == "route"]
        if routes:
            self._rest_api(routes)
        for h in handlers:
            if h.decorator == "authorizer":
                fid = self._function(h.name, h.handler, h.module.rel, h.source())
                self.b.permissions.append(
                    Permission(
                        f"{fid}InvokePermission",
                        fid,
                        "lambda:InvokeFunction",
                        "apigateway.amazonaws.com",
                        h.at(),
                        source_arn=f"arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{REST_API}}}/*",
                        implicit=True,
                    )
                )
            elif h.decorator == "lambda_function":
                self._function(h.name, h.handler, h.module.rel, h.source())
            elif h.decorator in _EVENT_DECORATORS:
                self._event(h)
        ws = [h for h in handlers if h.decorator in _WS_DECORATORS]
        if ws:
            self._websocket(ws)
        _settle(self.b, Resolver(self.rel, {}, {}, {}, {}), self.options)
        self.b.extra_files.extend(self.project.files)
        app = self.b.finish({})
        routes_out = tuple(
            replace(r, handler=found[0], handler_file=found[1])
            if (found := self.route_handlers.get((r.method, r.path))) is not None
            else r
            for r in app.routes
        )
        return replace(app, routes=routes_out)

    # -- functions ------------------------------------------------------------------------------

    def _function(self, name: str, handler: str, handler_file: str | None, source: SourceRef) -> str:
        fid = API_HANDLER if name == "api_handler" else cfn_name(name)
        cfg, b = self.cfg, self.b
        props: dict[str, SourceRef] = {}

        def setting(key: str, prop: str) -> Any:
            value, holder = cfg.get(key, name)
            where = self.ref(holder, key)
            if where is not None:
                props[prop] = where
            return value

        timeout = setting("lambda_timeout", "Timeout")
        memory = setting("lambda_memory_size", "MemorySize")
        reserved = setting("reserved_concurrency", "ReservedConcurrentExecutions")
        xray = setting("xray", "Tracing")
        subnets = setting("subnet_ids", "VpcConfig")
        groups, _ = cfg.get("security_group_ids", name)
        layers = setting("layers", "Layers")
        env = tuple(
            EnvVar(
                key,
                value,
                SourceRef(
                    self.rel, holder.key_lines.get(key, holder.line), holder.key_lines.get(key, holder.line)
                ),
            )
            for key, value, holder in cfg.merged("environment_variables", name)
        )
        fname = (
            f"{self.app_name}-{self.stage}"
            if name == "api_handler"
            else f"{self.app_name}-{self.stage}-{name}"
        )
        layers_ref = props.get("Layers", source)
        fields: dict[str, Any] = {
            "id": fid,
            "source": source,
            "name": fname,
            "runtime": None,  # the Python version chalice deploys with: the deploying machine's
            "package_type": "Zip",
            "architecture": "x86_64",
            "handler": handler,
            "code_uri": self.app_root,
            "handler_file": handler_file,
            "inline_code": False,
            "environment": env,
            "timeout": b.number(timeout) if timeout is not None else DEFAULT_TIMEOUT,
            "memory": b.number(memory) if memory is not None else DEFAULT_MEMORY,
            "reserved_concurrency": b.number(reserved),
            "provisioned_concurrency": None,
            "tracing": b.flag(xray),
            "dlq": None,
            "on_failure": None,
            "vpc": bool(subnets) and bool(groups),
            "url": None,
            "layers": tuple(Layer(b.text(x), layers_ref) for x in layers) if isinstance(layers, list) else (),
            "role": self._role(name, fid, source),
            "kms_key": None,
            "log_group": None,
            "cdk_path": None,
            "props": props,
        }
        b.functions[fid] = fields
        b.resource_types[fid] = "AWS::Lambda::Function"
        retention, holder = cfg.get("log_retention_in_days", name)
        if retention is not None:
            where = self.ref(holder, "log_retention_in_days") or source
            gid = f"{fid}LogGroup"
            b.log_groups.append(
                LogGroup(
                    gid,
                    where,
                    f"/aws/lambda/{fname}",
                    b.number(retention),
                    fid,
                    None,
                    {"RetentionInDays": where},
                )
            )
            fields["log_group"] = gid
        return fid

    def _role(self, name: str, fid: str, source: SourceRef) -> object:
        cfg = self.cfg
        manage, mholder = cfg.get("manage_iam_role", name)
        if manage is False:
            arn, aholder = cfg.get("iam_role_arn", name)
            where = self.ref(aholder, "iam_role_arn") or self.ref(mholder, "manage_iam_role") or source
            return self.b.unknown(
                f"execution role {arn if isinstance(arn, str) else ''} defined outside the project".replace(
                    "  ", " "
                ),
                where,
            )
        autogen, gholder = cfg.get("autogen_policy", name)
        if autogen is not False:
            if DEFAULT_ROLE not in self.b.roles:
                where = self.ref(gholder, "autogen_policy") or SourceRef(self.rel, 1, 1)
                draft = self._new_role(DEFAULT_ROLE, where, implicit=False)
                draft.name = f"{self.app_name}-{self.stage}"
                draft.policies.append(
                    Policy(f"{DEFAULT_ROLE}Policy", where, (), origin="chalice-autogen", unresolved=True)
                )
                self.b.unknown("policy generated from the code by chalice (autogen_policy)", where)
            return DEFAULT_ROLE
        rid = f"{fid}Role"
        where = self.ref(gholder, "autogen_policy") or source
        draft = self._new_role(rid, where, implicit=True)
        draft.name = f"{self.app_name}-{self.stage}-{name}"
        policy_file, pholder = cfg.get("iam_policy_file", name)
        file_name = policy_file if isinstance(policy_file, str) else f"policy-{self.stage}.json"
        draft.policies.append(
            self._policy_file(file_name, self.ref(pholder, "iam_policy_file") or where, rid)
        )
        return rid

    def _new_role(self, rid: str, where: SourceRef, implicit: bool) -> Any:
        draft = self.b.role(rid, where, implicit=implicit)
        draft.trust = Policy(
            "AssumeRolePolicyDocument",
            where,
            (
                Statement(
                    "Allow",
                    where,
                    actions=("sts:AssumeRole",),
                    principals={"Service": ("lambda.amazonaws.com",)},
                ),
            ),
            origin="trust",
        )
        draft.managed.append(ManagedPolicyRef(BASIC_LOGGING, where))
        self.b.resource_types[rid] = "AWS::IAM::Role"
        return draft

    def _policy_file(self, name: str, where: SourceRef, rid: str) -> Policy:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(self.rel), name))
        if rel.startswith("../") or posixpath.isabs(name):
            self.errors.append(
                ScanError(
                    where.path,
                    where.line,
                    f"policy file {name} leaves the scanned folder: not read",
                    "outside-root",
                )
            )
            self.b.unknown("policy file outside the project", where)
            return Policy(f"{rid}Policy", where, (), unresolved=True)
        path = self.root / rel
        if not path.is_file():
            self.errors.append(
                ScanError(where.path, where.line, f"policy file .chalice/{name} not found", "io")
            )
            self.b.unknown("policy file not found", where)
            return Policy(f"{rid}Policy", where, (), unresolved=True)
        try:
            doc = load_structured(path, self.root, self.options.limits)
        except ReadFailure as exc:
            self.errors.append(ScanError(rel, exc.line, exc.message, exc.kind))
            return Policy(f"{rid}Policy", where, (), unresolved=True)
        self.b.extra_files.append(rel)
        return parse_policy(doc, f"{rid}Policy", rel, line_of(doc, 1))

    # -- the REST API ---------------------------------------------------------------------------

    def _rest_api(self, routes: list[_Handler]) -> None:
        cfg, b = self.cfg, self.b
        app_source = SourceRef(self.app_mod.rel, self.app_mod.app_line, self.app_mod.app_line)
        fid = self._function("api_handler", "app.app", self.app_mod.rel, app_source)
        endpoint, eholder = cfg.get("api_gateway_endpoint_type")
        stage_name, sholder = cfg.get("api_gateway_stage")
        stage_name = stage_name if isinstance(stage_name, str) else "api"
        own = self._stage_ref()
        api = ApiDraft(
            REST_API,
            ApiKind.REST,
            own,
            name=self.app_name,
            endpoint_type=endpoint.upper() if isinstance(endpoint, str) else "EDGE",
            implicit=True,
            props={},
        )
        if eholder is not None:
            api.props["EndpointConfiguration"] = self.ref(eholder, "api_gateway_endpoint_type") or own
        policy_file, pholder = cfg.get("api_gateway_policy_file")
        if isinstance(policy_file, str):
            where = self.ref(pholder, "api_gateway_policy_file") or own
            policy = self._policy_file(policy_file, where, REST_API)
            api.resource_policy = Policy(
                "ResourcePolicy",
                policy.source,
                policy.statements,
                origin="resource-policy",
                unresolved=policy.unresolved,
            )
            api.props["Policy"] = where
        elif api.endpoint_type == "PRIVATE":
            vpce, vholder = cfg.get("api_gateway_endpoint_vpce")
            where = self.ref(vholder, "api_gateway_endpoint_vpce") or own
            api.resource_policy = Policy(
                "ResourcePolicy",
                where,
                (
                    Statement(
                        "Allow",
                        where,
                        actions=("execute-api:Invoke",),
                        resources=("arn:*:execute-api:*:*:*",),
                        principals={"*": ("*",)},
                        conditions={
                            "StringEquals": {
                                "aws:SourceVpce": vpce if vpce is not None else Unknown("VPC endpoint")
                            }
                        },
                    ),
                ),
                origin="resource-policy",
            )
        xray, xholder = cfg.get("xray")
        stage_props: dict[str, SourceRef] = {}
        xref = self.ref(xholder, "xray")
        if xref is not None:
            stage_props["TracingEnabled"] = xref
        api.stages[stage_name] = Stage(
            stage_name,
            self.ref(sholder, "api_gateway_stage") or own,
            tracing=b.flag(xray),
            access_logging=False,  # Chalice has no access log setting
            props=stage_props,
        )
        domain, dholder = cfg.get("api_gateway_custom_domain")
        if isinstance(domain, LMap):
            where = self.ref(dholder, "api_gateway_custom_domain") or own
            tls = domain.get("tls_version", "TLS_1_2")
            b.domain_drafts["ApiGatewayCustomDomain"] = {
                "id": "ApiGatewayCustomDomain",
                "name": b.text(domain.get("domain_name", "?")),
                "source": where,
                "security_policy": tls.upper() if isinstance(tls, str) else b.text(tls),
                "apis": [REST_API],
                "props": {
                    "SecurityPolicy": SourceRef(
                        self.rel,
                        domain.key_lines.get("tls_version", where.line),
                        domain.key_lines.get("tls_version", where.line),
                    )
                },
            }
            api.props["Domain"] = where
        b.apis[REST_API] = api
        b.resource_types[REST_API] = "AWS::ApiGateway::RestApi"
        b.permissions.append(
            Permission(
                f"{fid}InvokePermission",
                fid,
                "lambda:InvokeFunction",
                "apigateway.amazonaws.com",
                app_source,
                source_arn=f"arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{REST_API}}}/*",
                implicit=True,
            )
        )
        for h in routes:
            self._route(h, fid)

    def _stage_ref(self) -> SourceRef:
        stages = self.cfg.doc.get("stages")
        if isinstance(stages, LMap) and self.stage in stages.key_lines:
            line = stages.key_lines[self.stage]
            return SourceRef(self.rel, line, line)
        return SourceRef(self.rel, 1, 1)

    def _route(self, h: _Handler, fid: str) -> None:
        path = _kwarg(h.call, "path", 0)
        if not isinstance(path, str):
            self.errors.append(
                ScanError(
                    h.module.rel,
                    h.call.lineno,
                    "a route path computed by code: route not scanned",
                    "unsupported",
                )
            )
            return
        methods = _kwarg(h.call, "methods")
        if methods is None:
            methods = ["GET"]
        if isinstance(methods, str):
            methods = [methods]
        full = (h.url_prefix.rstrip("/") + path) if h.url_prefix else path
        full = full or "/"
        auth_node = next((kw.value for kw in h.call.keywords if kw.arg == "authorizer"), None)
        auth = self.project.authorizer(h.module, auth_node)
        key = _kwarg(h.call, "api_key_required")
        props: dict[str, SourceRef] = {}
        for kw, prop in (("authorizer", "Auth.Authorizer"), ("api_key_required", "Auth.ApiKeyRequired")):
            ref = h.kw_ref(kw)
            if ref is not None:
                props[prop] = ref
        where = h.at()
        for method in methods if isinstance(methods, list) else ["ANY"]:
            m = str(method).upper() if isinstance(method, str) else "ANY"
            self.b.routes.append(RouteDraft(REST_API, m, full, where, fid, auth, key is True, props))
            self.b.triggers.append(
                Trigger(
                    TriggerKind.REST_API,
                    fid,
                    where,
                    REST_API,
                    details={"route": f"{m} {full}", "handler": h.handler},
                )
            )
            self.route_handlers[(m, full)] = (h.handler, h.module.rel)

    # -- events ---------------------------------------------------------------------------------

    def _event(self, h: _Handler) -> None:
        fid = self._function(h.name, h.handler, h.module.rel, h.source())
        kind = _EVENT_DECORATORS[h.decorator]
        key, position = _SOURCE_ARG[h.decorator]
        value = _kwarg(h.call, key, position)
        if h.decorator == "on_sqs_message" and value is None:
            value = _kwarg(h.call, "queue_arn")
        if h.decorator == "schedule" and not isinstance(value, str):
            value = self._schedule_text(h)
        target: str | Unknown | None
        if kind is TriggerKind.EVENTBRIDGE:
            target = "default"
        elif isinstance(value, (str, Unknown)):
            target = value
        else:
            target = Unknown("an event source computed by code") if value is not None else None
        where = h.at()
        self.b.triggers.append(Trigger(kind, fid, where, target, details={"event": h.decorator}))
        principal = _PUSH_PRINCIPALS.get(kind)
        if principal is None:
            return
        source_arn: object = None
        if kind is TriggerKind.S3 and isinstance(value, str):
            source_arn = f"arn:aws:s3:::{value}"
        elif kind is TriggerKind.SNS and isinstance(value, str):
            source_arn = (
                value
                if value.startswith("arn:")
                else f"arn:aws:sns:${{AWS::Region}}:${{AWS::AccountId}}:{value}"
            )
        else:
            source_arn = f"${{{fid}Event}}"
        self.b.permissions.append(
            Permission(
                f"{fid}{kind.value.title().replace('-', '')}Permission",
                fid,
                "lambda:InvokeFunction",
                principal,
                where,
                source_arn=source_arn if isinstance(source_arn, str) else None,
                implicit=True,
            )
        )

    @staticmethod
    def _schedule_text(h: _Handler) -> str | Unknown:
        """`Rate(5, unit=Rate.MINUTES)` / `Cron(0, 18, '?', '*', 'MON-FRI', '*')` as expressions."""
        node = (
            h.call.args[0]
            if h.call.args
            else next((kw.value for kw in h.call.keywords if kw.arg == "expression"), None)
        )
        if isinstance(node, ast.Call) and _call_name(node) == "Rate" and node.args:
            value = _literal(node.args[0])
            unit = next(
                (kw.value for kw in node.keywords if kw.arg == "unit"),
                node.args[1] if len(node.args) > 1 else None,
            )
            word = unit.attr.lower() if isinstance(unit, ast.Attribute) else None
            if isinstance(value, int) and word in ("minutes", "hours", "days"):
                return f"rate({value} {word[:-1] if value == 1 else word})"
        if isinstance(node, ast.Call) and _call_name(node) == "Cron":
            names = ("minutes", "hours", "day_of_month", "month", "day_of_week", "year")
            fields = [_literal(a) for a in node.args] + [
                _literal(next((kw.value for kw in node.keywords if kw.arg == n), None))
                for n in names[len(node.args) :]
            ]
            if all(isinstance(f, (str, int)) for f in fields):
                return f"cron({' '.join(str(f) for f in fields)})"
        return Unknown("a schedule computed by code")

    def _websocket(self, handlers: list[_Handler]) -> None:
        b = self.b
        stage_name, _ = self.cfg.get("api_gateway_stage")
        stage_name = stage_name if isinstance(stage_name, str) else "api"
        own = self._stage_ref()
        api = ApiDraft(
            WEBSOCKET_API,
            ApiKind.WEBSOCKET,
            own,
            name=f"{self.app_name}-{self.stage}-websocket-api",
            endpoint_type="REGIONAL",
            implicit=True,
            props={},
        )
        api.stages[stage_name] = Stage(stage_name, own)
        b.apis[WEBSOCKET_API] = api
        b.resource_types[WEBSOCKET_API] = "AWS::ApiGatewayV2::Api"
        for h in handlers:
            name, route_key = _WS_DECORATORS[h.decorator]
            fid = self._function(name, h.handler, h.module.rel, h.source())
            where = h.at()
            b.routes.append(
                RouteDraft(WEBSOCKET_API, "ANY", route_key, where, fid, Auth(AuthKind.NONE), False, {})
            )
            b.triggers.append(
                Trigger(
                    TriggerKind.WEBSOCKET, fid, where, WEBSOCKET_API, details={"route": f"ANY {route_key}"}
                )
            )


__all__ = ["cfn_name", "load_candidate", "load_chalice"]
