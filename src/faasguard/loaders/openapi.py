"""Routes and their auth from an OpenAPI / Swagger body attached to an API (DefinitionBody, Body)."""

from __future__ import annotations

from typing import Any

from faasguard.loaders.build import Builder, RouteDraft
from faasguard.loaders.cfn_resources import FUNCTION_TYPES
from faasguard.loaders.intrinsics import RefTo
from faasguard.loaders.nodes import LMap
from faasguard.model import Auth, AuthKind, SourceRef, Trigger, TriggerKind

# The Route property naming the operation of the API's own OpenAPI definition that documents it.
DEFINITION = "Definition"

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method")


def _schemes(body: LMap) -> dict[str, Any]:
    schemes: dict[str, Any] = {}
    for holder in (
        body.get("securityDefinitions"),
        (body.get("components") or {}).get("securitySchemes")
        if isinstance(body.get("components"), dict)
        else None,
    ):
        if isinstance(holder, dict):
            schemes.update(holder)
    return schemes


def _scheme_kind(scheme: object) -> tuple[AuthKind, bool]:
    """(auth kind, is an API key) for one security scheme."""
    if not isinstance(scheme, dict):
        return AuthKind.UNKNOWN, False
    authtype = str(scheme.get("x-amazon-apigateway-authtype", "")).lower()
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    if authtype == "cognito_user_pools":
        return AuthKind.COGNITO, False
    if authtype == "awssigv4":
        return AuthKind.IAM, False
    if isinstance(authorizer, dict):
        if str(authorizer.get("type", "")).lower() == "jwt":
            return AuthKind.JWT, False
        if str(authorizer.get("type", "")).lower() == "cognito_user_pools":
            return AuthKind.COGNITO, False
        return AuthKind.LAMBDA, False
    if scheme.get("type") == "apiKey":
        return AuthKind.NONE, True
    if scheme.get("type") in ("oauth2", "openIdConnect"):
        return AuthKind.JWT, False
    return AuthKind.UNKNOWN, False


def _auth(security: object, schemes: dict[str, Any]) -> Auth | None:
    if not isinstance(security, list):
        return None
    if not security:
        return Auth(AuthKind.NONE)
    best: Auth | None = None
    for requirement in security:
        if not isinstance(requirement, dict) or not requirement:
            return Auth(AuthKind.NONE)  # an empty requirement makes auth optional
        kinds = [(_scheme_kind(schemes.get(name)), str(name)) for name in requirement]
        api_key = any(is_key for (_, is_key), _ in kinds)
        real = [(k, n) for (k, is_key), n in kinds if not is_key]
        auth = Auth(real[0][0] if real else AuthKind.NONE, real[0][1] if real else None, api_key)
        if best is None or (not best.authenticates and auth.authenticates):
            best = auth
    return best


def _integration_function(b: Builder, op: dict[str, Any]) -> str | None:
    integ = op.get("x-amazon-apigateway-integration")
    if not isinstance(integ, dict):
        return None
    uri = integ.get("uri")
    if isinstance(uri, RefTo) and b.resource_types.get(uri.logical_id) in FUNCTION_TYPES:
        return uri.logical_id
    if isinstance(uri, str):
        for rid, rtype in b.resource_types.items():
            if rtype in FUNCTION_TYPES and (
                "${" + rid + ".Arn}" in uri or "${" + rid + "}" in uri or "${" + rid + "." in uri
            ):
                return rid
    return None


def routes_from_spec(b: Builder, api_id: str, body: object, rel: str) -> None:
    if not isinstance(body, LMap):
        return
    paths = body.get("paths")
    if not isinstance(paths, dict):
        return
    schemes = _schemes(body)
    root_auth = _auth(body.get("security"), schemes)
    # Routes already recorded (SAM events merged into the definition, Terraform methods beside a
    # body) keep their own location; each route the definition documents carries the operation's
    # location as its "Definition" property, which tells the spec comparison what the API's own
    # definition covers.
    existing = {(r.api, r.method, r.path): r for r in b.routes}
    kind = TriggerKind.HTTP_API if b.apis[api_id].kind.value == "http" else TriggerKind.REST_API
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method_key, op in item.items():
            if method_key.lower() not in _METHODS or not isinstance(op, dict):
                continue
            method = "ANY" if method_key.lower() == "x-amazon-apigateway-any-method" else method_key.upper()
            line = op.line if isinstance(op, LMap) else getattr(item, "line", 1)
            where = SourceRef(rel, line, getattr(op, "end_line", line) or line)
            known = existing.get((api_id, method, str(path)))
            if known is not None:
                known.props = {**known.props, DEFINITION: where}
                continue
            auth = _auth(op.get("security"), schemes) or root_auth
            fid = _integration_function(b, op)
            b.routes.append(
                RouteDraft(
                    api_id,
                    method,
                    str(path),
                    where,
                    fid,
                    auth,
                    auth.api_key_required if auth else None,
                    {DEFINITION: where},
                )
            )
            if fid is not None:
                b.triggers.append(Trigger(kind, fid, where, api_id, details={"route": f"{method} {path}"}))


def queue_body(b: Builder, api_id: str, body: object) -> None:
    """Record an API's `Body` for `routes_from_spec`: inline, or the local file an `AWS::Include`
    transform names (read once every resource is known)."""
    if not isinstance(body, LMap):
        return
    transform = body.get("Fn::Transform")
    if isinstance(transform, dict):
        params = transform.get("Parameters")
        location = params.get("Location") if isinstance(params, dict) else None
        if isinstance(location, str):
            b.pending_spec_files.append((api_id, location))
        return
    b.apis[api_id].spec = "inline"
    b.pending_specs.append((api_id, body, b.rel))
