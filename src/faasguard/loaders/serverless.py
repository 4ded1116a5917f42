"""Serverless Framework services (serverless.yml / .yaml / .json, v1 to v4) into the model.

What the Framework would compile, read straight into the model (nothing is run, no plugin is
loaded): functions with the provider's defaults, the service's shared execution role
`IamRoleLambdaExecution` (or per-function roles when serverless-iam-roles-per-function is
listed), one log group per function, the implicit APIs `ApiGatewayRestApi` (REST, stage = the
service stage), `HttpApi` (HTTP API, stage `$default`) and `WebsocketsApi`, every event source
with the permissions and role statements the Framework adds, and `resources:` merged through the
CloudFormation loader. Logical ids are the Framework's own (`HelloLambdaFunction`,
`HelloLogGroup`, `S3BucketUploads`), so `resources:` can refer to them and to what it overrides.

Variables are resolved first (`sls_vars`), then CloudFormation intrinsics (`Ref`, `GetAtt`,
`Sub`...) against the user's and the generated resources. serverless.ts / .js are code: they
are never executed; a compiled `.serverless/cloudformation-template-update-stack.json` beside
one is scanned instead.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from faasguard.findings import ScanError
from faasguard.loaders.build import Builder, RoleDraft
from faasguard.loaders.cfn_resources import HANDLERS, d
from faasguard.loaders.cloudformation import (
    LoadOptions,
    _metadata_ignores,
    _phase,
    _settle,
    load_template,
)
from faasguard.loaders.discover import Candidate
from faasguard.loaders.handlers import resolve_handler_file
from faasguard.loaders.intrinsics import NO_VALUE, RefTo, Resolver
from faasguard.loaders.nodes import LList, LMap, end_line_of, line_of
from faasguard.loaders.policy_doc import parse_statement
from faasguard.loaders.reader import ReadFailure, load_structured
from faasguard.loaders.sls_vars import FList, FMap, VariableResolver, file_of
from faasguard.model import (
    Alarm,
    Application,
    EnvVar,
    Function,
    FunctionUrl,
    Ignore,
    Layer,
    LogGroup,
    ManagedPolicyRef,
    Permission,
    Policy,
    SourceRef,
    Statement,
    Unknown,
)

# The order in which the Framework looks for its configuration in a service folder.
CONFIG_NAMES = (
    "serverless.yml",
    "serverless.yaml",
    "serverless.json",
    "serverless.js",
    "serverless.cjs",
    "serverless.mjs",
    "serverless.ts",
)
COMPILED_TEMPLATE = ".serverless/cloudformation-template-update-stack.json"

DEFAULT_ROLE = "IamRoleLambdaExecution"
REST_API = "ApiGatewayRestApi"
HTTP_API = "HttpApi"
WEBSOCKET_API = "WebsocketsApi"
AWS_MANAGED = "arn:aws:iam::aws:policy/"
# The Framework's own grants on a role it creates: logging (scoped to the service's log groups),
# X-Ray when tracing, ENI management in a VPC. They are written here as the AWS managed policies
# that grant the same scoped actions, so rules judge them as execution-role basics.
BASIC_LOGGING = AWS_MANAGED + "service-role/AWSLambdaBasicExecutionRole"
XRAY = AWS_MANAGED + "AWSXrayWriteOnlyAccess"
VPC_ACCESS = AWS_MANAGED + "service-role/AWSLambdaVPCAccessExecutionRole"

PER_FUNCTION_ROLES_PLUGINS = ("serverless-iam-roles-per-function", "serverless-granular-iam")
PER_FUNCTION_KEYS = ("iamRoleStatements", "iamRoleStatementsInherit", "iamRoleStatementsName")

DEFAULT_TIMEOUT = 6
DEFAULT_MEMORY = 1024
# Maps and lists of the resolved configuration copied for CloudFormation evaluation. Real
# configurations have a few thousand; resolved variables share subtrees, so a hostile one can
# stand for billions once copied.
MAX_COPIED = 200_000


# --- entry points ------------------------------------------------------------------------------


def load_candidate(
    cand: Candidate, root: Path, options: LoadOptions
) -> tuple[list[Application], list[ScanError]]:
    """The engine's entry point for serverless.yml / .yaml / .json and serverless.ts / .js."""
    if cand.kind == "serverless-ts":
        return _load_code_config(cand, root, options)
    if _shadowed(cand.path):
        return [], []  # the Framework reads another configuration of this folder first
    app, errors = load_serverless(cand.path, cand.rel, cand.app_root, root, options)
    return ([app] if app is not None else []), errors


def _shadowed(path: Path) -> bool:
    name = path.name.lower()
    if name not in CONFIG_NAMES:
        return False
    earlier = CONFIG_NAMES[: CONFIG_NAMES.index(name)]
    return any((path.parent / other).is_file() for other in earlier)


def _load_code_config(
    cand: Candidate, root: Path, options: LoadOptions
) -> tuple[list[Application], list[ScanError]]:
    """serverless.ts / .js: code, never executed. The compiled template beside it is scanned."""
    if _shadowed(cand.path):
        return [], []
    name = cand.path.name
    compiled = cand.path.parent / COMPILED_TEMPLATE
    compiled_rel = posixpath.normpath(posixpath.join(posixpath.dirname(cand.rel), COMPILED_TEMPLATE))
    if not compiled.is_file():
        return [], [
            ScanError(
                cand.rel,
                None,
                f"{name} is code: it cannot be read without executing it, which faasguard never does; "
                f"run `serverless package` so that {COMPILED_TEMPLATE} sits beside it (it is then "
                "scanned), or write the configuration as serverless.yml",
                "unsupported",
            )
        ]
    app, errors = load_template(compiled, compiled_rel, cand.app_root, root, "cloudformation", options)
    note = ScanError(
        cand.rel,
        None,
        f"{name} is code and is not executed: scanned the compiled {COMPILED_TEMPLATE} beside it "
        "instead (as fresh as the last `serverless package`)",
        "unsupported",
    )
    if app is None:
        return [], [note, *errors]
    code_dir = posixpath.dirname(cand.rel) or "."
    functions = tuple(_with_handler_file(root, code_dir, fn) for fn in app.functions)
    app = replace(app, kind="serverless", functions=functions, files=(*app.files, cand.rel))
    return [app], [note, *errors]


def _with_handler_file(root: Path, code_dir: str, fn: Function) -> Function:
    if fn.handler_file is not None or not isinstance(fn.handler, str):
        return fn
    found = handler_file(root, code_dir, fn.handler, fn.runtime)
    return replace(fn, code_uri=code_dir, handler_file=found) if found else fn


# The serverless-wsgi plugin packages a generated `wsgi_handler.py` (older versions `wsgi.py`)
# whose `handler` serves the app named in `custom.wsgi.app` (`app.app`: module `app`, symbol `app`).
_WSGI_HANDLERS = frozenset({"wsgi_handler.handler", "wsgi.handler"})


def handler_file(root: Path, code_dir: str, handler: str, runtime: object) -> str | None:
    """Python `pkg/mod.fn` / `pkg.mod.fn`, Node `dir/file.export` (also `file.a.b`: Node takes the
    module up to the first dot of the last path segment) and TypeScript sources."""
    found = resolve_handler_file(root, code_dir, handler, runtime)
    if found is not None:
        return found
    head, _, last = handler.rpartition("/")
    module, dot, _rest = last.partition(".")
    if dot and _rest.count(".") >= 1:
        short = (head + "/" if head else "") + module + "." + _rest.rpartition(".")[2]
        return resolve_handler_file(root, code_dir, short, runtime)
    return None


def load_serverless(
    path: Path, rel: str, app_root: str, root: Path, options: LoadOptions
) -> tuple[Application | None, list[ScanError]]:
    try:
        doc = load_structured(path, root, options.limits)
    except ReadFailure as exc:
        return None, [ScanError(rel, exc.line, exc.message, exc.kind)]
    if not isinstance(doc, LMap):
        return None, [ScanError(rel, None, "not a Serverless Framework configuration (no mapping)", "parse")]
    refusal = _refusal(doc)
    if refusal is not None:
        return None, [ScanError(rel, line_of(doc.get("provider"), 1), refusal, "unsupported")]
    loader = _Service(root, path, rel, app_root, doc, options)
    app = loader.load()
    return app, loader.scan_errors()


def _refusal(doc: LMap) -> str | None:
    """Why this configuration is not an AWS service the loader reads (None: it is one)."""
    if "component" in doc and "provider" not in doc:
        return "a Serverless Components configuration, not a Framework service: not scanned"
    provider = doc.get("provider")
    if provider is None:
        return "no `provider:`: not a Serverless Framework service"
    name = (
        provider
        if isinstance(provider, str)
        else provider.get("name")
        if isinstance(provider, dict)
        else None
    )
    if name is None and isinstance(provider, dict):
        name = "aws"
    if not isinstance(name, str) or "${" in name:
        return None  # a variable: assume AWS, the only provider of most services
    if name.strip().lower() != "aws":
        return f"provider `{name}` is not AWS: not scanned"
    return None


# --- helpers -----------------------------------------------------------------------------------


def last_line(node: object, default: int, depth: int = 0) -> int:
    """The last line a value's content is written on (a block mapping's own end mark is the
    line where the next key starts)."""
    if depth > 50:
        return default
    if isinstance(node, LMap):
        last = line_of(node, default)
        for key, value in node.items():
            last = max(last, node.key_lines.get(key, 0), last_line(value, 0, depth + 1))
        return last if last else default
    if isinstance(node, LList):
        if getattr(node, "end_line", 0) and node.line == node.end_line:
            return node.end_line  # a flow list on one line
        last = line_of(node, default)
        for item in node:
            last = max(last, last_line(item, 0, depth + 1))
        return last if last else default
    return line_of(node, default)


def normalize(name: str) -> str:
    """The Framework's normalized function name: `-` -> Dash, `_` -> Underscore, capital first."""
    text = name.replace("-", "Dash").replace("_", "Underscore")
    return text[:1].upper() + text[1:]


def alphanumeric(name: str) -> str:
    text = re.sub(r"[^0-9A-Za-z]", "", name)
    return text[:1].upper() + text[1:]


def as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "active")
    return value is True or (isinstance(value, int) and not isinstance(value, bool) and value != 0)


class _Service:
    """One serverless.yml becoming one Application."""

    def __init__(self, root: Path, path: Path, rel: str, app_root: str, doc: LMap, options: LoadOptions):
        self.root = root
        self.rel = rel
        self.options = options
        self.service_dir = posixpath.dirname(rel) or "."
        self.b = Builder(root, path, rel, app_root, "serverless")
        self.errors: list[tuple[str, int | None, str, str]] = []
        self.vars = VariableResolver(
            doc, root=root, main_rel=rel, stage=options.stage, params=options.params, limits=options.limits
        )
        if truthy(doc.get("useDotenv")) or str(doc.get("frameworkVersion", "")).lstrip("^~>= ").startswith(
            "4"
        ):
            self.vars.load_dotenv()
        self.stage = self.vars.stage
        self.raw = doc
        self.cfg: LMap = LMap()
        self.provider: LMap = LMap()
        self.cfn: Resolver = Resolver(rel, {}, {}, {}, {})
        self.plugins: list[str] = []
        self.service = ""
        self.overrides: dict[str, LMap] = {}  # Properties the user merges into generated resources
        self.function_nodes: dict[str, tuple[str, LMap, SourceRef]] = {}  # fid -> (name, map, key ref)
        self.fn_containers: dict[str, LMap] = {}
        self.resource_containers: dict[str, LMap] = {}
        self.default_role: RoleDraft | None = None
        self.role_of: dict[str, object] = {}  # fid -> role id or Unknown
        self.api_state: dict[str, str | None] = {}
        self._copied = 0  # nodes `_cfn` built: resolved variables share subtrees, copies do not

    # -- locations ------------------------------------------------------------------------------

    def ref(self, node: object, default: SourceRef | None = None) -> SourceRef:
        line = line_of(node)
        if not line:
            return default if default is not None else SourceRef(self.rel, 1, 1)
        return SourceRef(file_of(node, self.rel), line, max(last_line(node, line), line))

    def key_ref(self, parent: object, key: str, default: SourceRef | None = None) -> SourceRef:
        if isinstance(parent, LMap) and key in parent.key_lines:
            line = parent.key_lines[key]
            return SourceRef(file_of(parent, self.rel), line, line)
        return default if default is not None else self.ref(parent)

    def text(self, value: object) -> str | Unknown:
        return self.b.text(value)

    # -- the pipeline ---------------------------------------------------------------------------

    def load(self) -> Application:
        resolved = self.vars.resolve_config()
        self.b.extra_files.extend(self.vars.files)
        self.plugins = self._plugins(resolved.get("plugins"))
        service = resolved.get("service")
        if isinstance(service, dict):
            service = service.get("name")
        self.service = str(service) if isinstance(service, str) else "service"
        functions = self._functions_map(resolved.get("functions"), count=False)
        resources_doc = self._merge_resources(resolved.get("resources"))
        generated = self._generated_ids(functions)
        user_resources = d(resources_doc.get("Resources"))
        parameters = self._parameters(d(resources_doc.get("Parameters")))
        every = {**{rid: True for rid in generated}, **{rid: True for rid in user_resources}}
        self.cfn = Resolver(
            self.rel, parameters, every, d(resources_doc.get("Conditions")), d(resources_doc.get("Mappings"))
        )
        self.cfg = self._cfn(resolved)
        self.provider = d(self.cfg.get("provider"))
        functions = self._functions_map(self.cfg.get("functions"))
        resources_doc = self._merge_resources(self.cfg.get("resources"))
        for rid, rtype in generated.items():
            self.b.resource_types[rid] = rtype
        self._user_resources(resources_doc, generated)
        from faasguard.loaders import sls_events

        self._roles_and_functions(functions)
        sls_events.compile_events(self, functions)
        self._apply_overrides()
        self._alarms(functions)
        # Generated resources the configuration ends up not creating (an external role or API).
        for rid in (DEFAULT_ROLE, REST_API, HTTP_API, "HttpApiStage", WEBSOCKET_API):
            created = (
                rid in self.b.roles
                or rid in self.b.apis
                or (rid == "HttpApiStage" and HTTP_API in self.b.apis)
            )
            if not created and rid in generated and generated[rid] == self.b.resource_types.get(rid):
                del self.b.resource_types[rid]
        _settle(self.b, self.cfn, self.options)
        self.b.unknowns += self.vars.unknowns + self.cfn.unknowns
        app = self.b.finish({k: v for k, v in parameters.items() if not isinstance(v, Unknown)})
        lines = {fid: ref for fid, (_n, _m, ref) in self.function_nodes.items()}
        for rid in user_resources:
            lines[rid] = self.key_ref(self.resource_containers.get(rid, user_resources), rid)
        ignores: list[Ignore] = []
        by_file: dict[str, LMap] = {}
        for rid, res in user_resources.items():
            group = by_file.setdefault(file_of(res, self.rel), LMap())
            group[rid] = res
        for file, group in by_file.items():
            ignores.extend(_metadata_ignores(group, file))
        app = replace(
            app,
            routes=sls_events.finish_websocket_auth(self, app),
            resource_lines=lines,
            ignores=tuple(ignores),
        )
        from faasguard.loaders.layers import link_layers, sls_layers

        return link_layers(app, sls_layers(self.b, self.service_dir, self.cfg.get("layers"), self.key_ref))

    def scan_errors(self) -> list[ScanError]:
        out = [ScanError(p, line, msg, kind) for p, line, msg, kind in self.vars.errors]
        out.extend(ScanError(p, line, msg, kind) for p, line, msg, kind in self.errors)
        out.extend(ScanError(p, line, msg, "parse") for p, line, msg in self.b.errors)
        seen: set[ScanError] = set()
        unique = []
        for e in out:
            if e not in seen:
                seen.add(e)
                unique.append(e)
        return unique

    # -- configuration shape --------------------------------------------------------------------

    @staticmethod
    def _plugins(value: object) -> list[str]:
        if isinstance(value, dict):
            value = value.get("modules")
        return [str(p) for p in as_list(value) if isinstance(p, str)]

    def has_plugin(self, *names: str) -> bool:
        for plugin in self.plugins:
            bare = plugin.rpartition("/")[2] if plugin.startswith("@") else plugin
            if any(bare == n or bare.startswith(n + "-") for n in names):
                return True
        return False

    def _functions_map(self, value: object, count: bool = True) -> LMap:
        """`functions:` as one mapping (a list of mappings, e.g. several ${file()}, is merged).

        Each function's key line is kept with the mapping that holds it (`fn_containers`)."""
        if isinstance(value, LMap):
            for k in value:
                self.fn_containers[str(k)] = value
            return value
        out = LMap()
        for item in value if isinstance(value, list) else []:
            if isinstance(item, LMap):
                for k, v in item.items():
                    out[k] = v
                    out.key_lines[k] = item.key_lines.get(k, item.line)
                    self.fn_containers[str(k)] = item
        if isinstance(value, Unknown) and count:
            self.b.unknowns += 1
        return out

    def _merge_resources(self, value: object) -> LMap:
        """`resources:` (a mapping, or a list of them) as one template fragment; each resource's
        key line is kept with the mapping that holds it (`resource_containers`)."""
        items = value if isinstance(value, list) else [value]
        out = LMap()
        for item in items:
            if not isinstance(item, LMap):
                continue
            for section, body in item.items():
                if not isinstance(body, LMap):
                    continue
                target = out.get(section)
                if not isinstance(target, LMap):
                    target = LMap(body.line, body.end_line)
                    out[section] = target
                for k, v in body.items():
                    target[k] = v
                    target.key_lines[k] = body.key_lines.get(k, body.line)
                    if section == "Resources":
                        self.resource_containers[str(k)] = body
        return out

    def _generated_ids(self, functions: LMap) -> dict[str, str]:
        """Logical ids of what the Framework generates, with their types."""
        out: dict[str, str] = {}
        for name, spec in functions.items():
            n = normalize(str(name))
            out[n + "LambdaFunction"] = "AWS::Lambda::Function"
            if not (isinstance(spec, dict) and spec.get("disableLogs") is True):
                out[n + "LogGroup"] = "AWS::Logs::LogGroup"
            if (
                isinstance(spec, dict)
                and "iamRoleStatements" in spec
                and self.has_plugin(*PER_FUNCTION_ROLES_PLUGINS)
            ):
                out[n + "IamRoleLambdaExecution"] = "AWS::IAM::Role"
            for event in as_list(spec.get("events")) if isinstance(spec, dict) else []:
                if not isinstance(event, dict):
                    continue
                s3 = event.get("s3")
                bucket = s3.get("bucket") if isinstance(s3, dict) else s3
                existing = isinstance(s3, dict) and s3.get("existing") is True
                if isinstance(bucket, str) and not existing:
                    out["S3Bucket" + alphanumeric(bucket)] = "AWS::S3::Bucket"
                sns = event.get("sns")
                topic = sns.get("topicName") if isinstance(sns, dict) else sns
                if (
                    isinstance(topic, str)
                    and not topic.startswith("arn:")
                    and not (isinstance(sns, dict) and sns.get("arn") is not None)
                ):
                    out["SNSTopic" + alphanumeric(topic)] = "AWS::SNS::Topic"
                if "http" in event:
                    out[REST_API] = "AWS::ApiGateway::RestApi"
                if "httpApi" in event:
                    out[HTTP_API] = "AWS::ApiGatewayV2::Api"
                    out["HttpApiStage"] = "AWS::ApiGatewayV2::Stage"
                if "websocket" in event:
                    out[WEBSOCKET_API] = "AWS::ApiGatewayV2::Api"
        if functions:
            out[DEFAULT_ROLE] = "AWS::IAM::Role"
        layers = self.raw.get("layers")
        for name in layers if isinstance(layers, dict) else {}:
            out[normalize(str(name)) + "LambdaLayer"] = "AWS::Lambda::LayerVersion"
        return out

    def _parameters(self, params: LMap) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, spec in params.items():
            if name in self.options.parameters:
                out[str(name)] = self.options.parameters[name]
            elif isinstance(spec, dict) and "Default" in spec:
                out[str(name)] = spec["Default"]
            else:
                out[str(name)] = Unknown(f"parameter {name} has no default and no override")
        return out

    def _cfn(self, node: Any, depth: int = 0) -> Any:
        """CloudFormation intrinsics evaluated, keeping each node's file."""
        if depth > 150:
            return self.b.unknown("nested too deeply")
        if isinstance(node, (dict, list)):
            # The resolved configuration is a graph: a file included six times, that includes
            # another six times, ... is one object each but a tree of 6**n nodes once copied.
            self._copied += 1
            bound = min(self.options.limits.max_nodes, MAX_COPIED)
            if self._copied > bound:
                if self._copied == bound + 1:
                    self.errors.append(
                        (
                            self.rel,
                            None,
                            f"the configuration expands to more than {bound} maps and lists "
                            "(variables or ${file()} repeated): the rest is unknown",
                            "bound",
                        )
                    )
                return self.b.unknown("configuration too large once variables are resolved")
        if isinstance(node, dict):
            if len(node) == 1:
                key = next(iter(node))
                if key == "Ref" or (
                    isinstance(key, str) and key.startswith("Fn::") and key != "Fn::Transform"
                ):
                    return self.cfn.resolve(node)
            file = file_of(node, self.rel)
            out: LMap = (
                FMap(file, line_of(node), end_line_of(node))
                if file != self.rel
                else LMap(line_of(node), end_line_of(node))
            )
            key_lines = getattr(node, "key_lines", {})
            for k, v in node.items():
                r = self._cfn(v, depth + 1)
                if r is NO_VALUE:
                    continue
                out[k] = r
                if k in key_lines:
                    out.key_lines[k] = key_lines[k]
            return out
        if isinstance(node, list):
            file = file_of(node, self.rel)
            lst: LList = (
                FList(file, line_of(node), end_line_of(node))
                if file != self.rel
                else LList(line_of(node), end_line_of(node))
            )
            for item in node:
                r = self._cfn(item, depth + 1)
                if r is not NO_VALUE:
                    lst.append(r)
            return lst
        return node

    # -- resources: ------------------------------------------------------------------------------

    def _user_resources(self, doc: LMap, generated: dict[str, str]) -> None:
        resources = d(doc.get("Resources"))
        extensions = d(doc.get("extensions"))
        for rid, spec in extensions.items():
            if isinstance(spec, LMap) and isinstance(spec.get("Properties"), LMap):
                self._add_override(str(rid), spec["Properties"])
        ordered: list[tuple[str, LMap]] = []
        for rid, res in resources.items():
            rid = str(rid)
            if not isinstance(res, LMap):
                continue
            rtype = res.get("Type")
            merges = rid in generated and (rtype is None or rtype == generated[rid])
            keep_own = rid.startswith(("S3Bucket", "SNSTopic")) and isinstance(rtype, str)
            if merges and not keep_own:
                if isinstance(res.get("Properties"), LMap):
                    self._add_override(rid, res["Properties"])
                continue
            if not isinstance(rtype, str):
                continue
            cond = res.get("Condition")
            if isinstance(cond, str) and self.cfn.condition(cond) is False:
                continue
            self.b.resource_types[rid] = rtype
            self.b.raw_props[rid] = d(res.get("Properties"))
            ordered.append((rid, res))
        ordered.sort(key=lambda kv: _phase(str(kv[1].get("Type"))))
        main_rel = self.b.rel
        for rid, res in ordered:
            rtype = str(res["Type"])
            handler = HANDLERS.get(rtype)
            if handler is None:
                continue
            self.b.rel = file_of(res, main_rel)  # locations of this resource point into its file
            try:
                handler(self.b, rid, d(res.get("Properties")), res)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self.b.errors.append(
                    (self.b.rel, line_of(res), f"resource {rid} ({rtype}) could not be read: {exc!r}")
                )
            finally:
                self.b.rel = main_rel

    def _add_override(self, rid: str, props: LMap) -> None:
        current = self.overrides.get(rid)
        if current is None:
            self.overrides[rid] = props
            return
        merged = FMap(file_of(props, self.rel), props.line, props.end_line)
        for source in (current, props):
            for k, v in source.items():
                merged[k] = v
                merged.key_lines[k] = source.key_lines.get(k, source.line)
        self.overrides[rid] = merged

    # -- IAM ------------------------------------------------------------------------------------

    def role_reference(self, value: object, where: SourceRef) -> object:
        """A role named by `role:`: a role of `resources:`, else Unknown (defined elsewhere)."""
        rid = self.b.target_id(value, ("AWS::IAM::Role",))
        if rid is not None:
            return rid
        if isinstance(value, str) and self.b.resource_types.get(value) == "AWS::IAM::Role":
            return value
        return self.b.unknown("execution role defined outside serverless.yml", where)

    def _provider_role_config(self) -> tuple[LMap, object]:
        """(iam.role mapping, external role value or None)."""
        iam = d(self.provider.get("iam"))
        role = iam.get("role")
        if role is not None and not isinstance(role, LMap):
            return LMap(), role
        if "role" in self.provider:
            return (role if isinstance(role, LMap) else LMap()), self.provider.get("role")
        return (role if isinstance(role, LMap) else LMap()), None

    def _provider_statements(self) -> tuple[object, SourceRef | None]:
        role_cfg, _ = self._provider_role_config()
        if "statements" in role_cfg:
            return role_cfg.get("statements"), self.key_ref(role_cfg, "statements")
        if "iamRoleStatements" in self.provider:
            return self.provider.get("iamRoleStatements"), self.key_ref(self.provider, "iamRoleStatements")
        return None, None

    def _provider_managed(self) -> tuple[object, SourceRef | None]:
        role_cfg, _ = self._provider_role_config()
        if "managedPolicies" in role_cfg:
            return role_cfg.get("managedPolicies"), self.key_ref(role_cfg, "managedPolicies")
        if "iamManagedPolicies" in self.provider:
            return self.provider.get("iamManagedPolicies"), self.key_ref(self.provider, "iamManagedPolicies")
        return None, None

    def statements(self, value: object, where: SourceRef) -> tuple[tuple[Statement, ...], bool]:
        """Statements of a serverless.yml list; (statements, unresolved)."""
        if value is None:
            return (), False
        if not isinstance(value, list):
            if isinstance(value, dict) and ("Effect" in value or "Action" in value):
                value = [value]
            else:
                self.b.unknown("IAM statements that could not be resolved", where)
                return (), True
        out = []
        for item in value:
            if isinstance(item, LMap):
                out.append(parse_statement(item, file_of(item, where.path), where.line))
            else:
                out.append(Statement("Allow", where, unresolved=True))
        return tuple(out), False

    def managed_refs(self, value: object, where: SourceRef) -> list[ManagedPolicyRef]:
        out = []
        for item in as_list(value):
            line = line_of(item) or where.line
            src = SourceRef(file_of(item, where.path), line, line)
            out.append(ManagedPolicyRef(self.text(item), src))
        return out

    def _new_role(self, rid: str, where: SourceRef, implicit: bool) -> RoleDraft:
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
        return draft

    def _roles_and_functions(self, functions: LMap) -> None:
        role_cfg, external = self._provider_role_config()
        provider_ref = self.key_ref(self.cfg, "provider", SourceRef(self.rel, 1, 1))
        per_function = self.has_plugin(*PER_FUNCTION_ROLES_PLUGINS)
        external_role: object = None
        if external is not None:
            where = self.key_ref(d(self.provider.get("iam")), "role", self.key_ref(self.provider, "role"))
            external_role = self.role_reference(external, where)
        needs_default = external is None and any(
            not (isinstance(spec, LMap) and "role" in spec)
            and not (per_function and isinstance(spec, LMap) and "iamRoleStatements" in spec)
            for spec in functions.values()
        )
        if needs_default:
            iam_ref = (
                self.key_ref(d(self.provider.get("iam")), "role")
                if "role" in d(self.provider.get("iam"))
                else self.key_ref(self.provider, "iamRoleStatements", provider_ref)
            )
            draft = self._new_role(DEFAULT_ROLE, iam_ref, implicit=False)
            draft.props = {}
            if "name" in role_cfg:
                draft.name = self.text(role_cfg["name"])
            else:
                draft.name = f"{self.service}-{self.stage}-{self._region()}-lambdaRole"
            value, swhere = self._provider_statements()
            if swhere is not None:
                stmts, unresolved = self.statements(value, swhere)
                draft.policies.append(
                    Policy(f"{self.service}-{self.stage}-lambda", swhere, stmts, unresolved=unresolved)
                )
                draft.props["Policies"] = swhere
            managed, mwhere = self._provider_managed()
            if mwhere is not None:
                draft.managed.extend(self.managed_refs(managed, mwhere))
                draft.props["ManagedPolicyArns"] = mwhere
            boundary_key = next(
                (k for k in ("permissionsBoundary", "permissionBoundary") if k in role_cfg), None
            )
            if boundary_key is not None:
                draft.boundary = self.text(role_cfg[boundary_key])
            elif "rolePermissionsBoundary" in self.provider:
                draft.boundary = self.text(self.provider["rolePermissionsBoundary"])
            self.default_role = draft
        for name, spec in functions.items():
            if not isinstance(spec, LMap):
                if isinstance(spec, Unknown):
                    self.b.unknowns += 1
                continue
            self._function(str(name), spec, functions, external_role, per_function)
        if self.default_role is not None:
            users = [fid for fid, role in self.role_of.items() if role == DEFAULT_ROLE]
            if any(f["vpc"] for fid, f in self.b.functions.items() if fid in users) or isinstance(
                self.provider.get("vpc"), LMap
            ):
                where = self.key_ref(self.provider, "vpc", self.default_role.source)
                self.default_role.managed.append(ManagedPolicyRef(VPC_ACCESS, where))
            if any(self.b.functions[fid]["tracing"] is True for fid in users if fid in self.b.functions):
                self.default_role.managed.append(ManagedPolicyRef(XRAY, self._tracing_ref(None)))

    def _region(self) -> str:
        region = self.provider.get("region")
        return str(region) if isinstance(region, str) else "us-east-1"

    def _tracing_ref(self, spec: LMap | None) -> SourceRef:
        if spec is not None and "tracing" in spec:
            return self.key_ref(spec, "tracing")
        tracing = self.provider.get("tracing")
        if isinstance(tracing, LMap) and "lambda" in tracing:
            return self.key_ref(tracing, "lambda")
        return self.key_ref(self.provider, "tracing", self.key_ref(self.cfg, "provider"))

    # -- functions ------------------------------------------------------------------------------

    def _function(
        self, name: str, spec: LMap, functions: LMap, external_role: object, per_function: bool
    ) -> None:
        b = self.b
        n = normalize(name)
        fid = n + "LambdaFunction"
        key = self.key_ref(self.fn_containers.get(name, functions), name, self.ref(spec))
        own = SourceRef(key.path, key.line, max(last_line(spec, key.line), key.line))
        self.function_nodes[fid] = (name, spec, key)
        prov = self.provider
        props: dict[str, SourceRef] = {}

        def pick(fkey: str, pkey: str, prop: str) -> object:
            if fkey in spec:
                props[prop] = self.key_ref(spec, fkey)
                return spec[fkey]
            if pkey in prov:
                props[prop] = self.key_ref(prov, pkey)
                return prov[pkey]
            return None

        runtime = pick("runtime", "runtime", "Runtime")
        timeout = pick("timeout", "timeout", "Timeout")
        memory = pick("memorySize", "memorySize", "MemorySize")
        architecture = pick("architecture", "architecture", "Architectures")
        kms = pick("kmsKeyArn", "kmsKeyArn", "KmsKeyArn")
        layers = pick("layers", "layers", "Layers")
        vpc = pick("vpc", "vpc", "VpcConfig")
        handler = spec.get("handler")
        image = spec.get("image")
        if handler is not None:
            props["Handler"] = self.key_ref(spec, "handler")
        code = self._code_dir(spec)
        handler_text = self.text(handler) if handler is not None else None
        handler_text = self._wsgi_app(handler_text)
        found = (
            handler_file(self.root, code, str(handler_text), runtime)
            if isinstance(handler_text, str) and code is not None and image is None
            else None
        )
        # Tracing: the function's own `tracing`, else provider.tracing.lambda.
        tracing: object = False
        if "tracing" in spec:
            tracing = self._tracing_on(spec["tracing"])
            props["Tracing"] = self.key_ref(spec, "tracing")
        else:
            ptracing = prov.get("tracing")
            if isinstance(ptracing, LMap) and "lambda" in ptracing:
                tracing = self._tracing_on(ptracing["lambda"])
                props["Tracing"] = self.key_ref(ptracing, "lambda")
        for fkey, prop in (
            ("reservedConcurrency", "ReservedConcurrentExecutions"),
            ("provisionedConcurrency", "ProvisionedConcurrencyConfig"),
            ("destinations", "EventInvokeConfig"),
            ("onError", "DeadLetterConfig.TargetArn"),
            ("environment", "Environment"),
            ("package", "Package"),
            ("name", "FunctionName"),
            ("logRetentionInDays", "LogRetentionInDays"),
        ):
            if fkey in spec:
                props[prop] = self.key_ref(spec, fkey)
        fname: object = spec.get("name")
        if fname is None:
            fname = f"{self.service}-{self.stage}-{name}"
        dest = d(spec.get("destinations"))
        on_failure = dest.get("onFailure")
        on_error = spec.get("onError")
        fields: dict[str, Any] = {
            "id": fid,
            "source": own,
            "name": self.text(fname),
            "runtime": self.text(runtime) if runtime is not None else None,
            "package_type": "Image" if image is not None else "Zip",
            "architecture": self.text(architecture) if architecture is not None else "x86_64",
            "handler": handler_text,
            "code_uri": code,
            "handler_file": found,
            "inline_code": False,
            "environment": self._environment(spec),
            "timeout": b.number(timeout) if timeout is not None else DEFAULT_TIMEOUT,
            "memory": b.number(memory) if memory is not None else DEFAULT_MEMORY,
            "reserved_concurrency": b.number(spec.get("reservedConcurrency")),
            "provisioned_concurrency": b.number(spec.get("provisionedConcurrency")),
            "tracing": tracing,
            "dlq": self.text(on_error) if on_error is not None else None,
            "on_failure": self._destination(on_failure, functions) if on_failure is not None else None,
            "vpc": self._vpc(vpc),
            "url": None,
            "layers": self._layers(layers, props.get("Layers", own)),
            "role": None,
            "kms_key": self.text(kms) if kms is not None else None,
            "log_group": None,
            "cdk_path": None,
            "props": props,
        }
        b.functions[fid] = fields
        fields["role"] = self._function_role(fid, n, spec, own, external_role, per_function)
        self.role_of[fid] = fields["role"]
        self._function_grants(fid, spec, functions)
        self._log_group(fid, n, spec, own, fields)
        if "url" in spec:
            self._url(fid, spec, own)

    def _tracing_on(self, value: object) -> bool | Unknown:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return value.strip().lower() in ("active", "true")
        return False

    def _wsgi_app(self, handler: str | Unknown | None) -> str | Unknown | None:
        """The app behind serverless-wsgi's generated handler (`custom.wsgi.app`), as a handler
        the code analysis can follow: its module and symbol (a Flask app's routes are entries)."""
        if handler not in _WSGI_HANDLERS:
            return handler
        wsgi = self.cfg.get("custom")
        app = wsgi.get("wsgi") if isinstance(wsgi, LMap) else None
        target = self.text(app.get("app")) if isinstance(app, LMap) else None
        return target if isinstance(target, str) and "." in target else handler

    def _code_dir(self, spec: LMap) -> str | None:
        base = self.service_dir
        module = spec.get("module")  # serverless-python-requirements: code in a subfolder
        if isinstance(module, str) and module not in ("", "."):
            base = posixpath.normpath(posixpath.join(base, module))
        if base.startswith("../") or base == "..":
            return None
        return base

    def _environment(self, spec: LMap) -> tuple[EnvVar, ...]:
        merged: dict[str, EnvVar] = {}
        for block in (self.provider.get("environment"), spec.get("environment")):
            if isinstance(block, Unknown):
                self.b.unknowns += 1
                continue
            if not isinstance(block, LMap):
                continue
            file = file_of(block, self.rel)
            for name, value in block.items():
                line = block.key_lines.get(name, block.line)
                v: object = value.placeholder() if isinstance(value, RefTo) else value
                merged[str(name)] = EnvVar(str(name), v, SourceRef(file, line, line))
        return tuple(merged.values())

    def _vpc(self, vpc: object) -> bool:
        if not isinstance(vpc, LMap):
            return False
        subnets = vpc.get("subnetIds")
        return bool(subnets) if not isinstance(subnets, Unknown) else True

    def _layers(self, value: object, where: SourceRef) -> tuple[Layer, ...]:
        out = []
        for item in as_list(value):
            line = line_of(item) or where.line
            out.append(Layer(self.text(item), SourceRef(file_of(item, where.path), line, line)))
        return tuple(out)

    def _destination(self, value: object, functions: LMap) -> str | Unknown:
        if isinstance(value, LMap):
            value = value.get("arn")
        if isinstance(value, str) and value in functions:
            return "${" + normalize(value) + "LambdaFunction.Arn}"
        return self.text(value)

    def _function_role(
        self, fid: str, n: str, spec: LMap, own: SourceRef, external_role: object, per_function: bool
    ) -> object:
        ignored: list[Policy] = []
        if "role" in spec:
            role: object = self.role_reference(spec["role"], self.key_ref(spec, "role"))
        elif per_function and "iamRoleStatements" in spec:
            role = self._per_function_role(fid, n, spec, own)
        elif external_role is not None:
            role = external_role
        else:
            role = DEFAULT_ROLE if self.default_role is not None else None
        if not per_function and any(k in spec for k in PER_FUNCTION_KEYS):
            key = next(k for k in PER_FUNCTION_KEYS if k in spec)
            where = self.key_ref(spec, key)
            value = spec.get("iamRoleStatements")
            stmts, unresolved = self.statements(value, where) if value is not None else ((), False)
            # The policy is named after the ignored key (the rule says which one it is).
            ignored.append(Policy(key, where, stmts, origin="ignored", unresolved=unresolved))
        self.b.functions[fid]["ignored_policies"] = tuple(ignored)
        return role

    def _per_function_role(self, fid: str, n: str, spec: LMap, own: SourceRef) -> str:
        rid = n + "IamRoleLambdaExecution"
        where = self.key_ref(spec, "iamRoleStatements", own)
        draft = self._new_role(rid, where, implicit=True)
        name = spec.get("iamRoleStatementsName")
        draft.name = self.text(name) if name is not None else None
        stmts, unresolved = self.statements(spec.get("iamRoleStatements"), where)
        draft.policies.append(Policy(f"{rid}Policy", where, stmts, unresolved=unresolved))
        custom = d(d(self.cfg.get("custom")).get("serverless-iam-roles-per-function"))
        inherit = spec.get("iamRoleStatementsInherit", custom.get("defaultInherit", False))
        if inherit is True:
            value, pwhere = self._provider_statements()
            if pwhere is not None:
                pstmts, punresolved = self.statements(value, pwhere)
                draft.policies.append(
                    Policy(f"{self.service}-{self.stage}-lambda", pwhere, pstmts, unresolved=punresolved)
                )
        if "iamManagedPolicies" in spec:
            draft.managed.extend(
                self.managed_refs(spec["iamManagedPolicies"], self.key_ref(spec, "iamManagedPolicies"))
            )
        boundary = spec.get("iamPermissionsBoundary", custom.get("iamGlobalPermissionsBoundary"))
        if boundary is not None:
            draft.boundary = self.text(boundary)
        if isinstance(spec.get("vpc"), LMap) or isinstance(self.provider.get("vpc"), LMap):
            draft.managed.append(ManagedPolicyRef(VPC_ACCESS, self.key_ref(spec, "vpc", where)))
        tracing = spec.get("tracing") if "tracing" in spec else d(self.provider.get("tracing")).get("lambda")
        if self._tracing_on(tracing) is True:
            draft.managed.append(ManagedPolicyRef(XRAY, self._tracing_ref(spec)))
        return rid

    def generated_role(self, fid: str) -> RoleDraft | None:
        """The role the Framework (or the per-function plugin) writes for this function, if any."""
        role = self.role_of.get(fid)
        if isinstance(role, str) and role in self.b.roles:
            draft = self.b.roles[role]
            if role == DEFAULT_ROLE or (draft.implicit and role.endswith("IamRoleLambdaExecution")):
                return draft
        return None

    def grant(
        self, fid: str, name: str, actions: Iterable[str], resources: Iterable[object], where: SourceRef
    ) -> None:
        """A statement the Framework adds to the function's generated role for its configuration."""
        draft = self.generated_role(fid)
        if draft is None:
            return
        texts = tuple(self.text(r) for r in resources)
        st = Statement("Allow", where, actions=tuple(actions), resources=texts)
        draft.policies.append(Policy(name, where, (st,), origin="serverless"))

    def _function_grants(self, fid: str, spec: LMap, functions: LMap) -> None:
        on_error = spec.get("onError")
        if on_error is not None:
            where = self.key_ref(spec, "onError")
            text = self.text(on_error)
            action = "sqs:SendMessage" if isinstance(text, str) and ":sqs:" in text else "sns:Publish"
            self.grant(fid, f"{fid}OnErrorPolicy", (action,), (on_error,), where)
        dest = d(spec.get("destinations"))
        for kind in ("onSuccess", "onFailure"):
            target = dest.get(kind)
            if target is None:
                continue
            where = self.key_ref(dest, kind)
            dtype = str(target.get("type", "")).lower() if isinstance(target, LMap) else ""
            arn = self._destination(target, functions)
            text = arn if isinstance(arn, str) else ""
            if dtype == "sqs" or ":sqs:" in text:
                action = "sqs:SendMessage"
            elif dtype == "sns" or ":sns:" in text:
                action = "sns:Publish"
            elif dtype == "eventbus" or ":event-bus/" in text:
                action = "events:PutEvents"
            else:
                action = "lambda:InvokeFunction"
            self.grant(fid, f"{fid}Destination{kind[2:]}Policy", (action,), (arn,), where)

    # -- log groups, URLs ----------------------------------------------------------------------

    def _log_group(self, fid: str, n: str, spec: LMap, own: SourceRef, fields: dict[str, Any]) -> None:
        if spec.get("disableLogs") is True:
            return
        gid = n + "LogGroup"
        props: dict[str, SourceRef] = {}
        retention: object = None
        source = own
        if "logRetentionInDays" in spec:
            retention = spec["logRetentionInDays"]
            source = props["RetentionInDays"] = self.key_ref(spec, "logRetentionInDays")
        elif "logRetentionInDays" in self.provider:
            retention = self.provider["logRetentionInDays"]
            source = props["RetentionInDays"] = self.key_ref(self.provider, "logRetentionInDays")
        override = self.overrides.get(gid)
        kms: object = None
        if override is not None:
            if "RetentionInDays" in override:
                retention = override["RetentionInDays"]
                source = props["RetentionInDays"] = self.key_ref(override, "RetentionInDays")
            kms = override.get("KmsKeyId")
        name = fields["name"]
        self.b.log_groups.append(
            LogGroup(
                gid,
                source,
                ("/aws/lambda/" + name) if isinstance(name, str) else name,
                self.b.number(retention) if retention is not None else None,
                fid,
                self.text(kms) if kms is not None else None,
                props,
            )
        )
        fields["log_group"] = gid

    def _url(self, fid: str, spec: LMap, own: SourceRef) -> None:
        value = spec.get("url")
        where = self.key_ref(spec, "url", own)
        if value is False or value is None:
            return
        auth: object = "NONE"
        props = {"AuthType": where}
        origins: tuple[object, ...] = ()
        if isinstance(value, LMap):
            authorizer = value.get("authorizer")
            if authorizer is not None:
                props["AuthType"] = self.key_ref(value, "authorizer")
                text = self.text(authorizer)
                auth = "AWS_IAM" if isinstance(text, str) and text.lower() == "aws_iam" else text
            cors = value.get("cors")
            if cors is True:
                origins = ("*",)
            elif isinstance(cors, LMap):
                allowed = cors.get("allowedOrigins", ["*"])
                origins = tuple(self.text(o) for o in as_list(allowed))
            props["Cors"] = self.key_ref(value, "cors", where)
        elif isinstance(value, Unknown):
            auth = value
        url = FunctionUrl(
            auth if isinstance(auth, (str, Unknown)) else "NONE",
            where,
            tuple(o for o in origins if isinstance(o, (str, Unknown))),
            props,
        )
        self.b.pending_urls.append((fid, url))
        if auth == "NONE":
            self.b.permissions.append(
                Permission(
                    f"{fid[: -len('LambdaFunction')]}LambdaPermissionFnUrl",
                    fid,
                    "lambda:InvokeFunctionUrl",
                    "*",
                    where,
                    function_url_auth_type="NONE",
                    implicit=True,
                )
            )

    # -- overrides through resources: -----------------------------------------------------------

    def _apply_overrides(self) -> None:
        for rid, props in self.overrides.items():
            if rid in self.b.functions:
                self._override_function(rid, props)
            elif rid in self.b.roles:
                self._override_role(rid, props)
            elif rid in self.b.apis:
                self._override_api(rid, props)
            elif rid == "HttpApiStage" and HTTP_API in self.b.apis:
                from faasguard.loaders import sls_events

                sls_events.override_http_stage(self, props)

    def _override_function(self, fid: str, props: LMap) -> None:
        fields = self.b.functions[fid]
        fprops: dict[str, SourceRef] = fields["props"]
        b = self.b
        simple = {
            "ReservedConcurrentExecutions": ("reserved_concurrency", b.number),
            "Timeout": ("timeout", b.number),
            "MemorySize": ("memory", b.number),
            "Runtime": ("runtime", self.text),
            "KmsKeyArn": ("kms_key", self.text),
        }
        for key, (field, convert) in simple.items():
            if key in props:
                fields[field] = convert(props[key])
                fprops[key] = self.key_ref(props, key)
        mode = d(props.get("TracingConfig")).get("Mode")
        if mode is not None:
            fields["tracing"] = mode == "Active" if not isinstance(mode, Unknown) else mode
            fprops["Tracing"] = self.key_ref(d(props.get("TracingConfig")), "Mode")
        target = d(props.get("DeadLetterConfig")).get("TargetArn")
        if target is not None:
            fields["dlq"] = self.text(target)
            fprops["DeadLetterConfig.TargetArn"] = self.key_ref(d(props.get("DeadLetterConfig")), "TargetArn")
        variables = d(d(props.get("Environment")).get("Variables"))
        if variables:
            env = {v.name: v for v in fields["environment"]}
            file = file_of(variables, self.rel)
            for name, value in variables.items():
                line = variables.key_lines.get(name, variables.line)
                env[str(name)] = EnvVar(str(name), value, SourceRef(file, line, line))
            fields["environment"] = tuple(env.values())

    def _override_role(self, rid: str, props: LMap) -> None:
        from faasguard.loaders.policy_doc import parse_policy

        draft = self.b.roles[rid]
        for i, p in enumerate(as_list(props.get("Policies"))):
            doc = d(p).get("PolicyDocument")
            if doc is not None:
                draft.policies.append(
                    parse_policy(doc, f"{rid}Override{i}", file_of(p, self.rel), line_of(p, 1))
                )
        for arn in as_list(props.get("ManagedPolicyArns")):
            line = line_of(arn) or line_of(props, 1)
            draft.managed.append(
                ManagedPolicyRef(
                    self.text(arn), SourceRef(file_of(arn, file_of(props, self.rel)), line, line)
                )
            )
        if "PermissionsBoundary" in props:
            draft.boundary = self.text(props["PermissionsBoundary"])
        trust = props.get("AssumeRolePolicyDocument")
        if trust is not None:
            draft.trust = parse_policy(
                trust,
                "AssumeRolePolicyDocument",
                file_of(trust, file_of(props, self.rel)),
                line_of(trust, 1),
                "trust",
            )

    def _override_api(self, rid: str, props: LMap) -> None:
        from faasguard.loaders.policy_doc import parse_policy

        api = self.b.apis[rid]
        if "Policy" in props:
            api.resource_policy = parse_policy(
                props["Policy"],
                "Policy",
                file_of(props, self.rel),
                self.key_ref(props, "Policy").line,
                "resource-policy",
            )
            api.props["Policy"] = self.key_ref(props, "Policy")
        if "DisableExecuteApiEndpoint" in props:
            api.disable_execute_api_endpoint = self.b.flag(props["DisableExecuteApiEndpoint"])
            api.props["DisableExecuteApiEndpoint"] = self.key_ref(props, "DisableExecuteApiEndpoint")
        types = d(props.get("EndpointConfiguration")).get("Types")
        if isinstance(types, list) and types:
            api.endpoint_type = self.text(types[0])

    # -- alarms (serverless-plugin-aws-alerts) --------------------------------------------------

    def _alarms(self, functions: LMap) -> None:
        if not self.has_plugin("serverless-plugin-aws-alerts"):
            return
        alerts = d(d(self.cfg.get("custom")).get("alerts"))
        stages = alerts.get("stages")
        if isinstance(stages, list) and self.stage not in stages:
            return
        wanted = {"functionErrors": "Errors", "functionThrottles": "Throttles"}
        common = {_alarm_name(a) for a in as_list(alerts.get("alarms"))}
        for fid, (_name, spec, _key) in self.function_nodes.items():
            names = common | {_alarm_name(a) for a in as_list(spec.get("alarms"))}
            for alarm in sorted(n for n in names if n in wanted):
                where = self.key_ref(
                    spec, "alarms", self.key_ref(alerts, "alarms", self.function_nodes[fid][2])
                )
                self.b.alarms.append(
                    Alarm(
                        f"{fid[: -len('LambdaFunction')]}{alarm[:1].upper()}{alarm[1:]}Alarm",
                        where,
                        "AWS/Lambda",
                        wanted[alarm],
                        {"FunctionName": fid},
                    )
                )


def _alarm_name(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return str(value["name"])
    return ""


__all__ = [
    "COMPILED_TEMPLATE",
    "CONFIG_NAMES",
    "handler_file",
    "load_candidate",
    "load_serverless",
    "normalize",
]
