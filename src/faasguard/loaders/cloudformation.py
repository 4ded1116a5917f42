"""CloudFormation, SAM and CDK output (cdk.out/*.template.json) into the application model."""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.loaders.build import Builder
from faasguard.loaders.cfn_resources import FUNCTION_TYPES, HANDLERS, _custom_domain, d
from faasguard.loaders.discover import Candidate
from faasguard.loaders.intrinsics import Resolver, ref_id
from faasguard.loaders.layers import CFN_LAYER_TYPES, cfn_layer, link_layers
from faasguard.loaders.nodes import LMap, line_of
from faasguard.loaders.openapi import routes_from_spec
from faasguard.loaders.reader import ReadFailure, load_structured, read_text
from faasguard.loaders.sam import SAM_HANDLERS, connector
from faasguard.model import (
    Application,
    Function,
    Ignore,
    SourceRef,
    Trigger,
    TriggerKind,
    Unknown,
    UserPool,
)

# Resources whose model elements others refer to are handled first.
_FIRST = (
    "AWS::IAM::Role",
    "AWS::IAM::ManagedPolicy",
    "AWS::S3::Bucket",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::SecretsManager::Secret",
    "AWS::Kinesis::Stream",
    "AWS::Serverless::SimpleTable",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::ApiGateway::DomainName",
    "AWS::ApiGatewayV2::DomainName",
)
_SECOND = ("AWS::Serverless::Function", "AWS::Lambda::Function")


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """What a user says about the deployment; every loader takes the options it understands."""

    parameters: Mapping[str, str]  # CloudFormation/SAM template parameters (--parameter)
    config_env: str = "default"  # samconfig.toml environment (--config-env)
    limits: Limits = DEFAULT_LIMITS
    stage: str | None = None  # Serverless Framework / Chalice stage (--stage)
    params: Mapping[str, str] = field(default_factory=dict)  # Serverless ${param:...} (--param)
    var_files: tuple[str, ...] = ()  # Terraform -var-file (--var-file)
    variables: Mapping[str, str] = field(default_factory=dict)  # Terraform -var (--var)


def load_candidate(
    cand: Candidate, root: Path, options: LoadOptions
) -> tuple[list[Application], list[ScanError]]:
    """The engine's entry point for CloudFormation, SAM and CDK output candidates."""
    app, errors = load_template(cand.path, cand.rel, cand.app_root, root, cand.kind, options)
    return ([app] if app is not None else []), errors


def is_template(doc: object) -> bool:
    """A CloudFormation template: a `Resources` map with at least one `AWS::` typed entry."""
    if not isinstance(doc, dict):
        return False
    resources = doc.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith("AWS::")
        for r in resources.values()
    )


def samconfig_parameters(template: Path, root: Path, env: str, limits: Limits) -> dict[str, str]:
    """`parameter_overrides` of samconfig.toml beside the template, for the chosen config env."""
    import tomllib

    path = template.parent / "samconfig.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(read_text(path, root, limits))
    except (ReadFailure, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    section = data.get(env, {})
    overrides: object = None
    for cmd in ("deploy", "global"):
        params = section.get(cmd, {}).get("parameters", {}) if isinstance(section.get(cmd), dict) else {}
        if isinstance(params, dict) and "parameter_overrides" in params:
            overrides = params["parameter_overrides"]
            break
    items: list[str] = []
    if isinstance(overrides, str):
        try:
            items = shlex.split(overrides)
        except ValueError:
            items = overrides.split()
    elif isinstance(overrides, list):
        items = [str(i) for i in overrides]
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if sep:
            out[key.strip()] = value.strip().strip('"')
    return out


def _parameters(template: LMap, overrides: Mapping[str, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    params = template.get("Parameters")
    if isinstance(params, dict):
        for name, spec in params.items():
            if not isinstance(spec, dict):
                continue
            if name in overrides:
                value: object = overrides[name]
            elif "Default" in spec:
                value = spec["Default"]
            else:
                value = Unknown(f"parameter {name} has no default and no override")
            ptype = str(spec.get("Type", ""))
            is_list = ptype.startswith("List<") or ptype == "CommaDelimitedList"
            if is_list and isinstance(value, str):
                value = [v.strip() for v in value.split(",")]
            out[str(name)] = value
    return out


def load_template(
    path: Path, rel: str, app_root: str, root: Path, kind: str, options: LoadOptions
) -> tuple[Application | None, list[ScanError]]:
    """Load one template. Returns (None, []) for YAML/JSON that is not a template."""
    try:
        doc = load_structured(path, root, options.limits)
    except ReadFailure as exc:
        return None, [ScanError(rel, exc.line, exc.message, exc.kind)]
    if not is_template(doc):
        return None, []
    assert isinstance(doc, LMap)
    overrides = {**samconfig_parameters(path, root, options.config_env, options.limits), **options.parameters}
    parameters = _parameters(doc, overrides)
    resources_raw = doc["Resources"]
    is_sam = "Serverless" in str(doc.get("Transform", "")) or any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
        for r in resources_raw.values()
    )
    if kind == "cloudformation" and is_sam:
        kind = "sam"
    conditions = d(doc.get("Conditions"))
    resolver = Resolver(rel, parameters, resources_raw, conditions, d(doc.get("Mappings")))
    b = Builder(root, path, rel, app_root, kind)
    b.unknowns += sum(1 for v in parameters.values() if isinstance(v, Unknown))
    b.globals = resolver.resolve(d(doc.get("Globals")))
    resolved: dict[str, tuple[LMap, LMap]] = {}
    for rid, res in resources_raw.items():
        if not isinstance(res, LMap) or not isinstance(res.get("Type"), str):
            continue
        cond = res.get("Condition")
        if isinstance(cond, str) and resolver.condition(cond) is False:
            continue
        props = resolver.resolve(d(res.get("Properties")))
        meta = res.get("Metadata")
        shell = LMap(res.line, res.end_line)
        shell.update(res)
        shell.key_lines = res.key_lines
        if isinstance(meta, LMap):
            shell["Metadata"] = resolver.resolve(meta)
            if isinstance(meta.get("aws:cdk:path"), str):
                b.construct_paths[str(rid)] = str(meta["aws:cdk:path"])
        resolved[str(rid)] = (props, shell)
        b.resource_types[str(rid)] = res["Type"]
        b.raw_props[str(rid)] = props
    ordered = sorted(resolved.items(), key=lambda kv: _phase(b.resource_types[kv[0]]))
    for rid, (props, shell) in ordered:
        rtype = b.resource_types[rid]
        handler = SAM_HANDLERS.get(rtype) or HANDLERS.get(rtype)
        try:
            if handler is not None:
                handler(b, rid, props, shell)
            if rtype.startswith("AWS::Serverless::") and isinstance(shell.get("Connectors"), LMap):
                for name, spec in shell["Connectors"].items():
                    cprops = resolver.resolve(d(d(spec).get("Properties")))
                    connector(b, f"{rid}{name}", cprops, d(spec) or shell, source_id=rid)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # A resource shaped unlike its type: report it, keep loading the rest.
            b.errors.append((rel, line_of(shell), f"resource {rid} ({rtype}) could not be read: {exc!r}"))
    _settle(b, resolver, options)
    b.unknowns += resolver.unknowns
    app = b.finish({k: v for k, v in parameters.items() if not isinstance(v, Unknown)})
    app = replace(
        app,
        noecho_defaults=_noecho_defaults(doc, rel),
        resource_lines={
            rid: SourceRef(rel, resources_raw.key_lines.get(rid, 1), resources_raw.key_lines.get(rid, 1))
            for rid in resources_raw
        },
        ignores=_metadata_ignores(resources_raw, rel),
    )
    own_layers = [
        cfn_layer(b, rid, b.resource_types[rid], props, shell)
        for rid, (props, shell) in resolved.items()
        if b.resource_types[rid] in CFN_LAYER_TYPES
    ]
    app = link_layers(app, own_layers)
    errors = [ScanError(p, line, msg, "parse") for p, line, msg in b.errors]
    return app, errors


def _metadata_ignores(resources: LMap, rel: str) -> tuple[Ignore, ...]:
    """`Metadata: {faasguard: {ignore: [{id, reason, until}]}}` on a resource."""
    out = []
    for rid, res in resources.items():
        meta = d(d(res).get("Metadata")).get("faasguard")
        entries = d(meta).get("ignore")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str):
                entry = {"id": entry}
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            line = line_of(entry, line_of(res))
            reason, until = entry.get("reason"), entry.get("until")
            out.append(
                Ignore(
                    rule=str(entry["id"]),
                    source=SourceRef(rel, line, line),
                    resource=str(rid),
                    reason=str(reason) if isinstance(reason, str) and reason.strip() else None,
                    until=str(until) if until is not None else None,
                )
            )
    return tuple(out)


def _noecho_defaults(doc: LMap, rel: str) -> tuple[tuple[str, SourceRef], ...]:
    params = doc.get("Parameters")
    out = []
    if isinstance(params, LMap):
        for name, spec in params.items():
            if not isinstance(spec, LMap) or "Default" not in spec:
                continue
            if str(spec.get("NoEcho", "")).lower() == "true" and spec["Default"] not in ("", None):
                line = spec.key_lines.get("Default", spec.line)
                out.append((str(name), SourceRef(rel, line, line)))
    return tuple(out)


def _phase(rtype: str) -> int:
    if rtype in _FIRST:
        return 0
    if rtype in _SECOND:
        return 1
    return 2


def _settle(b: Builder, resolver: Resolver, options: LoadOptions) -> None:
    """Links that need every resource: URLs, destinations, specs, domains, log groups."""
    for fid, url in b.pending_urls:
        fn = b.functions.get(fid)
        if fn is None:
            continue
        fn["url"] = url
        fn["props"].setdefault("FunctionUrlConfig", url.source)
        b.triggers.append(
            Trigger(
                TriggerKind.FUNCTION_URL,
                fid,
                url.loc("AuthType"),
                fid,
                public=url.auth_type == "NONE" if isinstance(url.auth_type, str) else url.auth_type,
            )
        )
    for fid, dest in b.pending_on_failure:
        if fid in b.functions:
            b.functions[fid]["on_failure"] = dest
    for api_id, body, rel in b.pending_specs:
        routes_from_spec(b, api_id, body, rel)
    for api_id, location in b.pending_spec_files:
        _spec_file(b, resolver, api_id, location, options)
    for i, route in enumerate(b.routes):
        override = b.route_overrides.get((route.api, route.method, route.path))
        if override is not None:
            b.routes[i] = replace(route, auth=override)
    b.domains = [_custom_domain(b, draft) for draft in b.domain_drafts.values()]
    if b.client_writes:
        writes: dict[str, list[tuple[str, str, Any]]] = {}
        for pool, client, attr, where in b.client_writes:
            writes.setdefault(pool, []).append((client, attr, where))
        b.user_pools = [
            replace(p, client_write_attributes=tuple(writes.get(p.id, ()))) if p.id in writes else p
            for p in b.user_pools
        ]
    _link_log_groups(b)


def _spec_file(b: Builder, resolver: Resolver, api_id: str, location: str, options: LoadOptions) -> None:
    if "://" in location or api_id not in b.apis:
        return
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(b.rel), location))
    if rel.startswith("../"):
        b.errors.append((b.rel, None, f"API definition {location} leaves the scanned folder: not read"))
        return
    path = b.root / rel
    if not path.is_file():
        b.errors.append((b.rel, None, f"API definition {location} not found"))
        return
    try:
        body = load_structured(path, b.root, options.limits)
    except ReadFailure as exc:
        b.errors.append((rel, exc.line, exc.message))
        return
    spec_resolver = Resolver(rel, resolver.parameters, resolver.resources, {}, resolver.mappings)
    body = spec_resolver.resolve(body)
    b.apis[api_id].spec = rel
    b.extra_files.append(rel)
    routes_from_spec(b, api_id, body, rel)


def _link_log_groups(b: Builder) -> None:
    """A log group belongs to a function when named /aws/lambda/<function> or given in LoggingConfig."""
    by_name: dict[str, str] = {}
    for fid, fn in b.functions.items():
        by_name["/aws/lambda/${" + fid + "}"] = fid
        if isinstance(fn.get("name"), str):
            by_name["/aws/lambda/" + fn["name"]] = fid
    linked: dict[str, str] = {}
    for i, group in enumerate(b.log_groups):
        owner = by_name.get(group.name) if isinstance(group.name, str) else None
        if owner is None:
            for candidate, cfn in b.functions.items():
                if ref_id(cfn.get("_log_group_ref")) == group.id:
                    owner = candidate
        if owner is not None:
            b.log_groups[i] = replace(group, function=owner)
            linked[owner] = group.id
    for fid, fn in b.functions.items():
        fn.pop("_log_group_ref", None)
        if fid in linked:
            fn["log_group"] = linked[fid]


__all__ = ["FUNCTION_TYPES", "Function", "LoadOptions", "UserPool", "is_template", "load_template"]
