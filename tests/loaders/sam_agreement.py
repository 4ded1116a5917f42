"""Does faasguard read a SAM template the way SAM itself does?

aws-sam-translator's own transform is run offline on a template; from the CloudFormation it
produces we take the facts faasguard's model also holds, take the same facts from the model that
`faasguard.loaders.cloudformation.load_template` builds, and compare them:

``role``          function -> the logical id of its execution role (``<external>`` when the role
                  is not a role of the template)
``action``        (function, IAM action) allowed by its role's own statements (inline policies,
                  policy templates, AWS::IAM::Policy / ManagedPolicy resources attached to it)
``managed``       (function, managed policy ARN) attached to its role
``permission``    (function, principal, action) of every AWS::Lambda::Permission
``route``         (api, METHOD, path) -> auth: none / iam / cognito / lambda / jwt / api-key-only,
                  with ``+api-key`` when a key is required on top of an authorizer
``route_target``  (api, METHOD, path) -> the function it invokes (``-``: not a function)

The translator side is read here, independently of faasguard's loader code. Differences SAM and
faasguard are allowed to have are the `RULES` below, one comment each; whatever is left is a
disagreement. Everything runs without AWS: no credentials, no region lookup, no SAR call, no IAM
``ListPolicies``: `translate` gives the translator a stand-in session and a managed policy map
that answers every name locally.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

KINDS = ("role", "action", "managed", "permission", "route", "route_target")
EXTERNAL = "<external>"
REGION = "us-east-1"
ACCOUNT = "123456789012"
AWS_MANAGED = "arn:aws:iam::aws:policy/"
SKIP_DIRS = frozenset({".git", "node_modules", ".aws-sam", "cdk.out", ".venv", "__pycache__", ".idea"})

Key = tuple[str, ...]
FactMap = dict[str, dict[Key, str]]


# --- running the translator offline ------------------------------------------------------------


class TranslatorRejected(Exception):
    """The translator refused the template (or failed on it); it is skipped and counted."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class _OfflineSession:
    """What the translator reads of a boto3 Session: only the region. No boto3 is created."""

    region_name = REGION


class AnyManagedPolicy(dict[str, str]):
    """Managed policy name -> ARN for any name, without asking IAM.

    samtranslator (role_constructor._get_managed_policy_arn) resolves a name in `Policies` from its
    bundled map first, keeps a string that is already an ARN, and only then calls the fallback
    `get_managed_policy_map()`, where this object stands in for IAM ``ListPolicies``. It reads the
    map with ``.get`` and tests its truth, so both are answered here (``__missing__`` alone would
    not be consulted by ``.get``).
    """

    def get(self, key: str, default: object = None) -> str:
        return AWS_MANAGED + key

    def __missing__(self, key: str) -> str:
        return AWS_MANAGED + key

    def __bool__(self) -> bool:
        return True


class OfflineManagedPolicyLoader:
    """Duck-types samtranslator's ManagedPolicyLoader (`load()`), with no IAM client."""

    def load(self) -> dict[str, str]:
        return AnyManagedPolicy()


def _no_sar_client() -> Any:
    raise TranslatorRejected("serverless-application", "a SAR application would need the network")


def translate(template: dict[str, Any], parameter_values: Mapping[str, object]) -> dict[str, Any]:
    """SAM -> CloudFormation with aws-sam-translator, offline.

    The same steps as `samtranslator.translator.transform.transform`, except that `transform`
    always builds a boto3 Session to learn the region; here the Translator gets a stand-in session,
    so boto3 is never called. A ServerlessAppPlugin whose SAR client cannot be created is passed
    so a SAR application fails instead of reaching the network (`prepare_for_translator` also
    points every application at a plain URL, which needs no SAR call).
    """
    from samtranslator.model.exceptions import ExceptionWithMessage
    from samtranslator.parser.parser import Parser
    from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import (
        to_py27_compatible_template,
        undo_mark_unicode_str_in_template,
    )

    params = {"AWS::Region": REGION, **dict(parameter_values)}
    loader = OfflineManagedPolicyLoader()
    plugins = [ServerlessAppPlugin(parameters=params, sar_client_creator=_no_sar_client)]
    translator = Translator(None, Parser(), plugins=plugins, boto_session=_OfflineSession())
    try:
        to_py27_compatible_template(template, params)
        out = translator.translate(template, parameter_values=params, get_managed_policy_map=loader.load)
    except TranslatorRejected:
        raise
    except ExceptionWithMessage as exc:
        raise TranslatorRejected(type(exc).__name__, str(exc.message)[:300]) from None
    except Exception as exc:  # the translator's own crashes on odd input: skipped, counted apart
        raise TranslatorRejected(f"crash:{type(exc).__name__}", str(exc)[:300]) from None
    result: dict[str, Any] = undo_mark_unicode_str_in_template(out)
    return result


# --- reading templates for the translator ------------------------------------------------------


@cache
def _cfn_loader() -> type[yaml.SafeLoader]:
    """A YAML loader for CloudFormation short forms (samtranslator's own constructor), without
    PyYAML's timestamps (CloudFormation reads `2012-10-17` as text) and without touching the
    global SafeLoader."""
    from samtranslator.yaml_helper import intrinsics_multi_constructor

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("CfnLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_multi_constructor("!", intrinsics_multi_constructor)
    return loader  # type: ignore[no-any-return]


def read_document(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=_cfn_loader())  # a SafeLoader subclass


def is_sam_template(doc: object) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("Resources"), dict):
        return False
    transform = doc.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names):
        return True
    return any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
        for r in doc["Resources"].values()
    )


_S3_CODE = "s3://faasguard-agreement/code.zip"
_IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/faasguard-agreement:latest"
_APP_URL = "https://faasguard-agreement.s3.amazonaws.com/app.yaml"


def _local_file(template: Path, root: Path, location: object) -> Any:
    """A local API definition, parsed; None when it is remote, missing or outside `root`."""
    if not isinstance(location, str) or "://" in location:
        return None
    path = (template.parent / location).resolve()
    if not path.is_file() or not (path == root or root in path.parents):
        return None
    try:
        return read_document(path)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None


def _needs_code_uri(props: Mapping[str, Any], global_inline: bool) -> bool:
    """A local CodeUri (or none, meaning the template's folder) that `sam build` would upload."""
    uri = props.get("CodeUri")
    if isinstance(uri, str):
        return not uri.startswith("s3://")
    return uri is None and "InlineCode" not in props and not global_inline


def prepare_for_translator(doc: dict[str, Any], template: Path, root: Path) -> dict[str, Any]:
    """What `sam build`/`sam package` do before the transform runs: local code becomes an S3 URI
    (as `sam validate` does), a local OpenAPI file is inlined as DefinitionBody (CloudFormation
    receives it that way after packaging), AWS::Include of a local file is inlined, and nested
    applications point at a URL (no SAR call)."""
    doc = copy.deepcopy(doc)
    glob = doc.get("Globals")
    gfn = glob.get("Function") if isinstance(glob, dict) else None
    if isinstance(gfn, dict) and isinstance(gfn.get("CodeUri"), str):
        gfn["CodeUri"] = _S3_CODE
    g_inline = isinstance(gfn, dict) and "InlineCode" in gfn
    g_image = isinstance(gfn, dict) and gfn.get("PackageType") == "Image"
    for res in doc["Resources"].values():
        if not isinstance(res, dict):
            continue
        rtype = res.get("Type")
        props = res.get("Properties")
        if not isinstance(props, dict):
            props = {}
            if rtype in ("AWS::Serverless::Function", "AWS::Serverless::Application"):
                res["Properties"] = props
        if rtype == "AWS::Serverless::Function":
            image = props.get("PackageType", "Image" if g_image else "Zip") == "Image"
            if image:
                props.setdefault("ImageUri", _IMAGE)
            elif _needs_code_uri(props, g_inline):
                props["CodeUri"] = _S3_CODE
        elif rtype == "AWS::Serverless::LayerVersion" and isinstance(props.get("ContentUri"), str):
            props["ContentUri"] = _S3_CODE
        elif rtype in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi"):
            uri = props.get("DefinitionUri")
            if isinstance(uri, str) and "DefinitionBody" not in props:
                body = _local_file(template, root, uri)
                if isinstance(body, dict):
                    props.pop("DefinitionUri")
                    props["DefinitionBody"] = body
            body = props.get("DefinitionBody")
            if isinstance(body, dict) and isinstance(body.get("Fn::Transform"), dict):
                params = body["Fn::Transform"].get("Parameters")
                loc = params.get("Location") if isinstance(params, dict) else None
                inlined = _local_file(template, root, loc)
                if isinstance(inlined, dict):
                    props["DefinitionBody"] = inlined
        elif rtype == "AWS::Serverless::StateMachine" and isinstance(props.get("DefinitionUri"), str):
            props["DefinitionUri"] = {"Bucket": "faasguard-agreement", "Key": "statemachine.json"}
        elif rtype == "AWS::Serverless::Application":
            props["Location"] = _APP_URL
    return doc


# --- rendering CloudFormation values the way faasguard's model writes them ---------------------

_PSEUDO_FIXED = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass
class Renderer:
    """Plain text of a translated value: pseudo parameters partition/URL suffix fixed, others kept
    as ``${AWS::Region}``; parameters by their value; resources as ``${Id}`` / ``${Id.Attr}``.
    None when the value cannot be written as text (Fn::If, ImportValue, ...)."""

    parameters: Mapping[str, object]
    resources: Mapping[str, Any]

    def _ref(self, name: str) -> str | None:
        if name in _PSEUDO_FIXED:
            return _PSEUDO_FIXED[name]
        if name.startswith("AWS::"):
            return "${" + name + "}"
        if name in self.parameters:
            value = self.parameters[name]
            if isinstance(value, list):
                return ",".join(str(v) for v in value)
            return None if value is None else str(value)
        if name in self.resources:
            return "${" + name + "}"
        return None

    def text(self, value: object, depth: int = 0) -> str | None:
        if depth > 20:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        if not isinstance(value, dict) or len(value) != 1:
            return None
        (key, arg), *_ = value.items()
        if key == "Ref" and isinstance(arg, str):
            return self._ref(arg)
        if key == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and len(parts) == 2 and all(isinstance(p, str) for p in parts):
                return "${" + parts[0] + "." + parts[1] + "}"
            return None
        if key == "Fn::Sub":
            return self._sub(arg, depth)
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            parts = [self.text(p, depth + 1) for p in arg[1]]
            sep = arg[0] if isinstance(arg[0], str) else None
            if sep is None or any(p is None for p in parts):
                return None
            return sep.join(p for p in parts if p is not None)
        return None

    def _sub(self, arg: object, depth: int) -> str | None:
        variables: dict[str, str | None] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            variables = {str(k): self.text(v, depth + 1) for k, v in arg[1].items()}
            arg = arg[0]
        if not isinstance(arg, str):
            return None

        def one(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in variables:
                got = variables[name]
            elif "." in name and not name.startswith("AWS::"):
                got = None  # ${Id.Attr}
            else:
                got = self._ref(name)
            # What cannot be resolved stays the placeholder inside the string, as in faasguard.
            return "${" + name + "}" if got is None else got

        return _SUB_VAR.sub(one, arg).replace("${!", "${")


# --- facts from the translated CloudFormation --------------------------------------------------


@dataclass
class Facts:
    """One side's facts, plus what the rules need to know about where a fact came from."""

    facts: FactMap = field(default_factory=lambda: {k: {} for k in KINDS})
    sam_preflight: set[Key] = field(default_factory=set)  # CORS OPTIONS routes SAM generated
    url_companions: set[Key] = field(default_factory=set)  # InvokedViaFunctionUrl permissions
    conditional: set[tuple[str, Key]] = field(default_factory=set)  # from a resource with Condition
    opaque_roles: set[str] = field(default_factory=set)  # functions whose policies kept intrinsics

    def add(self, kind: str, key: Key, value: str = "") -> None:
        self.facts[kind][key] = value

    def counts(self) -> dict[str, int]:
        return {kind: len(self.facts[kind]) for kind in KINDS}


def _props(res: object) -> dict[str, Any]:
    props = res.get("Properties") if isinstance(res, dict) else None
    return props if isinstance(props, dict) else {}


def _ref_target(value: object) -> str | None:
    """The logical id a Ref / GetAtt / ``!Sub ${Id.Arn}`` names."""
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), *_ = value.items()
        if key == "Ref" and isinstance(arg, str):
            return arg
        if key == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and parts and isinstance(parts[0], str):
                return parts[0]
        if key == "Fn::Sub" and isinstance(arg, str):
            m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}", arg)
            if m:
                return m.group(1)
    return None


def _actions(doc: object) -> tuple[set[str], bool]:
    """Allowed actions (strings) of a policy document, and whether any part stayed an intrinsic."""
    out: set[str] = set()
    if not isinstance(doc, dict):
        return out, True
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return out, True
    opaque = False
    for st in statements:
        if not isinstance(st, dict) or any(k.startswith("Fn::") for k in st):
            opaque = True
            continue
        effect = st.get("Effect")
        if effect != "Allow":
            opaque = opaque or not isinstance(effect, str)
            continue
        action = st.get("Action")
        items = [action] if isinstance(action, str) else action if isinstance(action, list) else None
        if items is None:
            opaque = opaque or action is not None
            continue
        for a in items:
            if isinstance(a, str):
                out.add(a)
            else:
                opaque = True
    return out, opaque


_METHODS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "options": "OPTIONS",
    "head": "HEAD",
    "patch": "PATCH",
    "x-amazon-apigateway-any-method": "ANY",
}


def _scheme_kind(name: str, schemes: Mapping[str, Any]) -> str:
    """none / iam / cognito / lambda / jwt / api-key / unknown for one OpenAPI security scheme."""
    if name == "NONE":
        return "none"
    scheme = schemes.get(name)
    if not isinstance(scheme, dict):
        return "unknown"
    authtype = str(scheme.get("x-amazon-apigateway-authtype", "")).lower()
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    atype = str(authorizer.get("type", "")).lower() if isinstance(authorizer, dict) else ""
    if authtype == "awssigv4":
        return "iam"
    if authtype == "cognito_user_pools" or atype == "cognito_user_pools":
        return "cognito"
    if atype == "jwt":
        return "jwt"
    if authtype == "custom" or atype in ("token", "request"):
        return "lambda"
    if scheme.get("type") == "apiKey" and not authorizer:
        return "api-key"
    if scheme.get("type") in ("oauth2", "openIdConnect"):
        return "jwt"
    return "unknown"


def auth_label(kind: str, api_key: bool) -> str:
    if kind == "none":
        return "api-key-only" if api_key else "none"
    return f"{kind}+api-key" if api_key else kind


def _security_label(security: object, schemes: Mapping[str, Any]) -> str:
    """API Gateway applies every scheme a method lists (SAM writes an API key and an authorizer as
    two entries of the list): an API key scheme makes the key required, the first other scheme
    is the authorizer."""
    if not isinstance(security, list):
        return "unknown"
    kinds: list[str] = []
    for requirement in security:
        if not isinstance(requirement, dict):
            return "unknown"
        kinds.extend(_scheme_kind(str(name), schemes) for name in requirement)
    api_key = "api-key" in kinds
    real = [k for k in kinds if k not in ("api-key", "none")]
    return auth_label(real[0] if real else "none", api_key)


def _if_branch(value: object) -> tuple[object, bool]:
    """A path or method the translator wrapped in Fn::If (the event of a function with a
    Condition): its first branch, marked conditional."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Fn::If"), list):
        branches = value["Fn::If"]
        if len(branches) == 3 and isinstance(branches[1], (dict, str)):
            return branches[1], True
    return value, False


def _is_sam_preflight(op: Mapping[str, Any]) -> bool:
    integ = op.get("x-amazon-apigateway-integration")
    return (
        op.get("summary") == "CORS support"
        and isinstance(integ, dict)
        and str(integ.get("type", "")).lower() == "mock"
    )


class _TranslatedReader:
    def __init__(self, cfn: dict[str, Any], parameters: Mapping[str, object]) -> None:
        resources = cfn.get("Resources")
        self.resources: dict[str, Any] = resources if isinstance(resources, dict) else {}
        self.render = Renderer(parameters, self.resources)
        self.out = Facts()
        self.types = {rid: r.get("Type") for rid, r in self.resources.items() if isinstance(r, dict)}
        self.functions = {rid for rid, t in self.types.items() if t == "AWS::Lambda::Function"}
        self.names: dict[str, str] = {}
        for fid in self.functions:
            name = self.render.text(_props(self.resources[fid]).get("FunctionName"))
            if name is not None:
                self.names[name] = fid
        # An alias or version stands for its function (AutoPublishAlias rewrites references).
        self.aliases: dict[str, str] = {}
        for rid, t in self.types.items():
            if t in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                fn = _ref_target(_props(self.resources[rid]).get("FunctionName"))
                if fn in self.functions:
                    self.aliases[rid] = fn

    def function_of(self, value: object) -> str | None:
        rid = _ref_target(value)
        if rid is not None:
            return self.aliases.get(rid, rid)
        return None

    def function_in_text(self, text: str | None) -> str:
        """The function an integration URI invokes: by reference, or by its FunctionName."""
        for name in re.findall(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9]+)?\}", text or ""):
            fn = self.aliases.get(str(name), str(name))
            if fn in self.functions:
                return fn
        for name in re.findall(r":function:([^/:]+)", text or ""):
            if name in self.names:
                return self.names[name]
        return "-"

    def conditional(self, rid: str) -> bool:
        res = self.resources.get(rid)
        return isinstance(res, dict) and "Condition" in res

    def read(self) -> Facts:
        self._roles()
        self._permissions()
        for rid, t in self.types.items():
            if t == "AWS::ApiGateway::RestApi":
                self._spec_routes(rid, _props(self.resources[rid]).get("Body"))
            elif t == "AWS::ApiGatewayV2::Api":
                props = _props(self.resources[rid])
                self._spec_routes(rid, props.get("Body"))
                if "Target" in props:
                    fn = self.function_in_text(self.render.text(props["Target"]))
                    self._route(rid, rid, "ANY", "$default", "none", fn)
            elif t == "AWS::ApiGateway::Method":
                self._rest_method(rid)
            elif t == "AWS::ApiGatewayV2::Route":
                self._http_route(rid)
        return self.out

    # roles

    def _roles(self) -> None:
        attached: dict[str, list[str]] = {}  # role -> policy resources attached to it
        for rid, t in self.types.items():
            props = _props(self.resources[rid])
            if t in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                roles = props.get("Roles")
                for role in roles if isinstance(roles, list) else []:
                    target = _ref_target(role)
                    if target is not None:
                        attached.setdefault(target, []).append(rid)
            elif t == "AWS::IAM::RolePolicy":
                target = _ref_target(props.get("RoleName"))
                if target is not None:
                    attached.setdefault(target, []).append(rid)
        for fid in sorted(self.functions):
            role = _ref_target(_props(self.resources[fid]).get("Role"))
            cond = self.conditional(fid)
            if role is None or self.types.get(role) != "AWS::IAM::Role":
                self._add("role", (fid,), EXTERNAL, cond)
                continue
            self._add("role", (fid,), role, cond)
            rprops = _props(self.resources[role])
            policies = rprops.get("Policies")
            docs: list[tuple[object, bool]] = []
            for p in policies if isinstance(policies, list) else []:
                if isinstance(p, dict) and "PolicyDocument" in p:
                    docs.append((p["PolicyDocument"], cond))
                else:
                    self.out.opaque_roles.add(fid)
            managed = rprops.get("ManagedPolicyArns")
            for arn in managed if isinstance(managed, list) else []:
                target = _ref_target(arn)
                if target is not None and self.types.get(target) == "AWS::IAM::ManagedPolicy":
                    mp = _props(self.resources[target]).get("PolicyDocument")
                    docs.append((mp, cond or self.conditional(target)))
                    continue
                text = self.render.text(arn)
                if text is None:
                    self.out.opaque_roles.add(fid)
                else:
                    self._add("managed", (fid, text), "", cond)
            for pid in attached.get(role, []):
                docs.append(
                    (_props(self.resources[pid]).get("PolicyDocument"), cond or self.conditional(pid))
                )
            for doc, from_condition in docs:
                actions, opaque = _actions(doc)
                if opaque:
                    self.out.opaque_roles.add(fid)
                for action in actions:
                    self._add("action", (fid, action), "", from_condition)

    def _add(self, kind: str, key: Key, value: str, conditional: bool) -> None:
        # A fact already known unconditionally stays unconditional.
        if conditional and key not in self.out.facts[kind]:
            self.out.conditional.add((kind, key))
        elif not conditional:
            self.out.conditional.discard((kind, key))
        self.out.add(kind, key, value)

    # permissions

    def _permissions(self) -> None:
        for rid, t in self.types.items():
            if t != "AWS::Lambda::Permission":
                continue
            props = _props(self.resources[rid])
            fn = self.function_of(props.get("FunctionName"))
            if fn is None:
                fn = self.render.text(props.get("FunctionName")) or "<unknown>"
            key = (
                fn,
                self.render.text(props.get("Principal")) or "<unknown>",
                self.render.text(props.get("Action")) or "<unknown>",
            )
            if props.get("InvokedViaFunctionUrl") in (True, "true"):
                self.out.url_companions.add(key)
            self._add("permission", key, "", self.conditional(rid))

    # routes

    def _route(
        self, rid: str, api: str, method: str, path: str, auth: str, fn: str, cond: bool = False
    ) -> None:
        cond = cond or self.conditional(rid)
        self._add("route", (api, method, path), auth, cond)
        self._add("route_target", (api, method, path), fn, cond)

    def _spec_routes(self, api: str, body: object) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("paths"), dict):
            return
        schemes: dict[str, Any] = {}
        components = body.get("components")
        for holder in (
            body.get("securityDefinitions"),
            components.get("securitySchemes") if isinstance(components, dict) else None,
        ):
            if isinstance(holder, dict):
                schemes.update(holder)
        root_security = body.get("security", [])
        for path, item in body["paths"].items():
            item, item_cond = _if_branch(item)
            if not isinstance(item, dict):
                continue
            for method_key, op in item.items():
                method = _METHODS.get(str(method_key).lower())
                op, op_cond = _if_branch(op)
                if method is None or not isinstance(op, dict):
                    continue
                label = _security_label(op.get("security", root_security), schemes)
                integ = op.get("x-amazon-apigateway-integration")
                uri, _ = _if_branch(integ.get("uri") if isinstance(integ, dict) else None)
                fn = self.function_in_text(self.render.text(uri)) if uri is not None else "-"
                self._route(api, api, method, str(path), label, fn, item_cond or op_cond)
                if method == "OPTIONS" and _is_sam_preflight(op):
                    self.out.sam_preflight.add((api, method, str(path)))

    def _resource_path(self, resource: object, api: str) -> str | None:
        parts: list[str] = []
        for _ in range(60):
            if isinstance(resource, dict) and "Fn::GetAtt" in resource:
                return "/" + "/".join(reversed(parts))  # the API's RootResourceId
            rid = _ref_target(resource)
            if rid is None or self.types.get(rid) != "AWS::ApiGateway::Resource":
                return None
            props = _props(self.resources[rid])
            part = self.render.text(props.get("PathPart"))
            if part is None:
                return None
            parts.append(part)
            resource = props.get("ParentId")
        return None

    def _rest_method(self, rid: str) -> None:
        props = _props(self.resources[rid])
        api = _ref_target(props.get("RestApiId"))
        if api is None or self.types.get(api) != "AWS::ApiGateway::RestApi":
            return
        path = self._resource_path(props.get("ResourceId"), api)
        method = self.render.text(props.get("HttpMethod"))
        if path is None or method is None:
            return
        kinds = {"NONE": "none", "AWS_IAM": "iam", "COGNITO_USER_POOLS": "cognito", "CUSTOM": "lambda"}
        auth = kinds.get(str(props.get("AuthorizationType", "NONE")), "unknown")
        key = props.get("ApiKeyRequired") in (True, "true")
        integ = props.get("Integration")
        uri = integ.get("Uri") if isinstance(integ, dict) else None
        fn = self.function_in_text(self.render.text(uri)) if uri is not None else "-"
        self._route(rid, api, method.upper(), path, auth_label(auth, key), fn)

    def _http_route(self, rid: str) -> None:
        props = _props(self.resources[rid])
        api = _ref_target(props.get("ApiId"))
        if api is None or self.types.get(api) != "AWS::ApiGatewayV2::Api":
            return
        route_key = self.render.text(props.get("RouteKey"))
        if route_key is None:
            return
        method, _, path = route_key.partition(" ") if " " in route_key else ("ANY", "", route_key)
        kinds = {"NONE": "none", "AWS_IAM": "iam", "JWT": "jwt", "CUSTOM": "lambda"}
        auth = kinds.get(str(props.get("AuthorizationType", "NONE")), "unknown")
        key = props.get("ApiKeyRequired") in (True, "true")
        fn = "-"
        target = self.render.text(props.get("Target"))
        if target is not None:
            m = re.search(r"integrations/\$\{([A-Za-z0-9]+)\}", target)
            integ = _props(self.resources.get(m.group(1))) if m else {}
            uri = integ.get("IntegrationUri")
            fn = self.function_in_text(self.render.text(uri)) if uri is not None else "-"
        self._route(rid, api, method.upper(), path, auth_label(auth, key), fn)


def translator_facts(cfn: dict[str, Any], parameters: Mapping[str, object]) -> Facts:
    return _TranslatedReader(cfn, parameters).read()


# --- facts from faasguard's model --------------------------------------------------------------


def faasguard_facts(app: Any) -> Facts:
    """The same facts from a faasguard Application."""
    out = Facts()
    for fn in app.functions:
        role = app.role(fn.role)
        if role is None:
            out.add("role", (fn.id,), EXTERNAL)
            continue
        out.add("role", (fn.id,), role.id)
        for _policy, st in role.statements():
            if st.effect != "Allow":
                continue
            for action in st.actions:
                if isinstance(action, str):
                    out.add("action", (fn.id, action))
        for ref in role.managed:
            if isinstance(ref.arn, str):
                out.add("managed", (fn.id, ref.arn))
    for p in app.permissions:
        out.add(
            "permission",
            (
                p.function if isinstance(p.function, str) else "<unknown>",
                p.principal if isinstance(p.principal, str) else "<unknown>",
                p.action if isinstance(p.action, str) else "<unknown>",
            ),
        )
    for r in app.routes:
        key = (r.api, r.method.upper(), r.path)
        out.add("route", key, auth_label(str(r.auth.kind.value), r.auth.api_key_required))
        out.add("route_target", key, r.function or "-")
    return out


# --- accepted differences ----------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str
    side: str  # missing: SAM has it, faasguard not | extra: faasguard only | changed: values differ
    key: Key
    sam: str | None = None
    faasguard: str | None = None

    @property
    def category(self) -> str:
        """A coarse class for counting: side, kind and what kind of value differs."""
        if self.kind == "permission":
            return f"{self.side} permission {self.key[1]} {self.key[2]}"
        if self.kind in ("route", "route_target") and self.side == "changed":
            return f"changed {self.kind} {self.sam} -> {self.faasguard}"
        if self.kind == "role" and self.side == "changed":
            generic = {EXTERNAL: EXTERNAL}
            sam = generic.get(self.sam or "", "<role>")
            fg = generic.get(self.faasguard or "", "<role>")
            return f"changed role {sam} -> {fg}"
        if self.kind == "managed":
            return f"{self.side} managed {self.key[1].rsplit('/', 1)[-1]}"
        if self.kind == "action":
            return f"{self.side} action {self.key[1].split(':', 1)[0]}:*"
        return f"{self.side} {self.kind}"

    def __str__(self) -> str:
        text = f"{self.side} {self.kind} {' '.join(self.key)}"
        if self.side == "changed":
            text += f": sam={self.sam} faasguard={self.faasguard}"
        return text


Drop = tuple[str, str, Key]  # (side: "sam" | "faasguard", kind, key)


@dataclass(frozen=True)
class Rule:
    name: str
    why: str
    apply: Callable[[Facts, Facts], Iterable[Drop]]


def _sam_cors_preflight(sam: Facts, fg: Facts) -> Iterator[Drop]:
    # SAM adds an OPTIONS method with a mock integration ("CORS support") to every path of a REST
    # API that has Cors; faasguard keeps the API's CORS settings, not these generated methods.
    # An OPTIONS route faasguard does model (a declared event or spec method) is still compared.
    for key in sam.sam_preflight:
        if key not in fg.facts["route"]:
            yield ("sam", "route", key)
            yield ("sam", "route_target", key)


def _url_invoke_companion(sam: Facts, fg: Facts) -> Iterator[Drop]:
    # For a Function URL with AuthType NONE the translator adds, beside the public
    # lambda:InvokeFunctionUrl permission, a lambda:InvokeFunction one limited by
    # InvokedViaFunctionUrl (AWS asks for both since October 2025). It grants nothing beyond the
    # URL, and faasguard's model says "public URL" once, with the InvokeFunctionUrl permission.
    for key in sam.url_companions:
        fn, principal, _action = key
        if (fn, principal, "lambda:InvokeFunctionUrl") in fg.facts["permission"]:
            yield ("sam", "permission", key)


def _conditional_resources(sam: Facts, fg: Facts) -> Iterator[Drop]:
    # The translator keeps a resource with a Condition (CloudFormation decides at deploy time);
    # faasguard evaluates the condition from parameter defaults and leaves out what is false.
    # A fact the translator has only from such a resource may be absent from faasguard's model.
    for kind, key in sam.conditional:
        if key not in fg.facts[kind]:
            yield ("sam", kind, key)


def _unevaluated_intrinsics(sam: Facts, fg: Facts) -> Iterator[Drop]:
    # The translator passes Fn::If / Fn::ImportValue in policies through unevaluated (it cannot
    # know the outcome); faasguard resolves what parameter defaults decide. For a function whose
    # translated policies kept such an intrinsic, actions and managed ARNs that only faasguard
    # lists are the resolved branches, not an invention.
    for kind in ("action", "managed"):
        for key in fg.facts[kind]:
            if key[0] in sam.opaque_roles and key not in sam.facts[kind]:
                yield ("faasguard", kind, key)


def _action_case(sam: Facts, fg: Facts) -> Iterator[Drop]:
    # IAM action names are case-insensitive; SAM writes some in lower case (`sns:publish` for an
    # SNS EventInvokeConfig destination) where faasguard keeps the documented spelling.
    fg_lower: dict[tuple[str, str], Key] = {}
    for key in fg.facts["action"]:
        if key not in sam.facts["action"]:
            fg_lower[(key[0], key[1].lower())] = key
    for key in sam.facts["action"]:
        twin = fg_lower.get((key[0], key[1].lower()))
        if key not in fg.facts["action"] and twin is not None:
            yield ("sam", "action", key)
            yield ("faasguard", "action", twin)


RULES: tuple[Rule, ...] = (
    Rule("iam-action-case", "IAM actions compared without case", _action_case),
    Rule("sam-cors-preflight", "SAM's generated CORS OPTIONS methods", _sam_cors_preflight),
    Rule("url-invoke-companion", "the InvokedViaFunctionUrl permission", _url_invoke_companion),
    Rule("conditional-resource", "facts from resources with a Condition", _conditional_resources),
    Rule("unevaluated-intrinsic", "policy branches only faasguard resolves", _unevaluated_intrinsics),
)


@dataclass
class Comparison:
    differences: list[Difference]
    accepted: Counter[str]  # rule name -> facts it set aside
    sam_facts: dict[str, int]  # kind -> facts the translator side holds
    faasguard_facts: dict[str, int]


def compare(sam: Facts, fg: Facts, rules: Iterable[Rule] = RULES) -> Comparison:
    drops: dict[tuple[str, str], set[Key]] = {}
    accepted: Counter[str] = Counter()
    for rule in rules:
        for side, kind, key in rule.apply(sam, fg):
            bucket = drops.setdefault((side, kind), set())
            if key not in bucket:
                bucket.add(key)
                accepted[rule.name] += 1
    diffs: list[Difference] = []
    for kind in KINDS:
        s = {k: v for k, v in sam.facts[kind].items() if k not in drops.get(("sam", kind), set())}
        f = {k: v for k, v in fg.facts[kind].items() if k not in drops.get(("faasguard", kind), set())}
        for key in sorted(s.keys() - f.keys()):
            diffs.append(Difference(kind, "missing", key, sam=s[key]))
        for key in sorted(f.keys() - s.keys()):
            diffs.append(Difference(kind, "extra", key, faasguard=f[key]))
        for key in sorted(s.keys() & f.keys()):
            if s[key] != f[key]:
                diffs.append(Difference(kind, "changed", key, sam=s[key], faasguard=f[key]))
    return Comparison(diffs, accepted, sam.counts(), fg.counts())


# --- one template, a whole corpus --------------------------------------------------------------


@dataclass
class TemplateResult:
    template: str  # relative to the corpus root
    status: str  # agree | differ | translator-rejected | unreadable | not-sam | faasguard-error
    reason: str = ""
    comparison: Comparison | None = None


def parameter_values(doc: Mapping[str, Any], overrides: Mapping[str, str]) -> dict[str, object]:
    """Defaults and overrides, as both sides see them (faasguard reads samconfig.toml itself)."""
    out: dict[str, object] = {}
    params = doc.get("Parameters")
    for name, spec in params.items() if isinstance(params, dict) else []:
        if name in overrides:
            out[name] = overrides[name]
        elif isinstance(spec, dict) and "Default" in spec:
            out[name] = spec["Default"]
    return out


def compare_template(path: Path, root: Path) -> TemplateResult:
    from faasguard.loaders.cloudformation import LoadOptions, load_template, samconfig_parameters

    root = root.resolve()
    path = path.resolve()
    rel = path.relative_to(root).as_posix()
    try:
        doc = read_document(path)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        return TemplateResult(rel, "unreadable", f"{type(exc).__name__}: {str(exc)[:200]}")
    if not is_sam_template(doc):
        return TemplateResult(rel, "not-sam", "not a SAM template")
    options = LoadOptions({})
    overrides = samconfig_parameters(path, root, options.config_env, options.limits)
    params = parameter_values(doc, overrides)
    try:
        cfn = translate(prepare_for_translator(doc, path, root), overrides)
    except TranslatorRejected as exc:
        return TemplateResult(rel, "translator-rejected", str(exc))
    app_root = posixpath.dirname(rel) or "."
    app, errors = load_template(path, rel, app_root, root, "cloudformation", options)
    if app is None:
        message = "; ".join(e.message for e in errors) or "not read as a template"
        return TemplateResult(rel, "faasguard-error", message)
    comparison = compare(translator_facts(cfn, params), faasguard_facts(app))
    return TemplateResult(rel, "differ" if comparison.differences else "agree", "", comparison)


def find_sam_templates(root: Path) -> Iterator[Path]:
    """Every YAML/JSON file under `root` that is a SAM template, in a stable order."""
    for path in sorted(_candidates(root)):
        try:
            head = path.read_bytes()[:2_000_000]
        except OSError:
            continue
        if b"AWS::Serverless" in head:
            yield path


def _candidates(root: Path) -> Iterator[Path]:
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            if entry.name not in SKIP_DIRS:
                yield from _candidates(entry)
        elif entry.suffix.lower() in (".yaml", ".yml", ".json") and entry.is_file():
            yield entry
