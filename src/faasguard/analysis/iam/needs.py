"""The IAM actions each function's code really uses (issue #9): SDK calls -> IAM actions + resources.

For each function whose handler the code analysis reached, the SDK engine
(analysis/code/sdk_calls.py) lists the operations its code runs (from its handler entries and
the bodies of the modules it imports); botocore's models and the reviewed exceptions table
(analysis/iam/sdk_map.py) turn each into IAM actions. The resource a call names is resolved
through the environment variables the template sets (`TABLE_NAME: !Ref OrdersTable` -> the
OrdersTable store) or a literal in the code; otherwise it is "*" with a note. A store encrypted
with a customer managed key adds the KMS actions its operations need.

Calls the SDK analysis cannot see make the needs incomplete, each with an `unresolved` entry at
its line: an imported package that calls AWS for the function (the reviewed table of
data/iam_sdk_wrappers.json, read by iam/wrappers.py; otherwise a package whose locked dependencies
reach boto3 / aws-sdk, from the dependency analysis' inventory), an extension layer that does,
and operations whose service then acts with the caller's credentials on resources the code does
not name (Athena queries). Powertools' parameter and idempotency helpers are modelled as calls.

Consumers (the `policy` command, the audit rules, reports) import only the names of the interface:
NeededResource, NeededAction, FunctionNeeds, function_needs, needed_statements.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from faasguard.analysis.facts import Facts
from faasguard.analysis.iam.arns import shaped_arn
from faasguard.model import Application, DataStore, Function, StoreKind
from faasguard.model.source import SourceRef

if TYPE_CHECKING:
    from faasguard.analysis.code.ir import Import, Module
    from faasguard.analysis.code.sdk_calls import SdkCall, SdkEngine


@dataclass(frozen=True, slots=True)
class NeededResource:
    """One resource a needed action applies to."""

    store: str | None = None  # id of a model DataStore (logical id / Terraform address) it names
    suffix: str = ""  # appended to that store's ARN: "/*" for S3 objects, "/index/*" ...
    literal: str | None = None  # a literal ARN, or "*" when the resource cannot be known
    note: str | None = None  # why "*" (e.g. "bucket name computed at run time")


@dataclass(frozen=True, slots=True)
class NeededAction:
    action: str  # IAM's spelling: "s3:GetObject", "dynamodb:PutItem"
    resources: tuple[NeededResource, ...]  # never empty; (NeededResource(literal="*"),) when unknown
    calls: tuple[SourceRef, ...]  # the code lines that need it (sorted)
    why: str | None = None  # for derived actions: "CopyObject reads the source object", ...


@dataclass(frozen=True, slots=True)
class FunctionNeeds:
    function: str  # Function.id in the model
    language: str | None  # "python" | "javascript" | "typescript" | None (no code found)
    actions: tuple[NeededAction, ...]  # sorted by action
    unresolved: tuple[tuple[SourceRef, str], ...]  # SDK calls it could not map, with the reason
    # True only when the handler's code was analysed and every SDK call was mapped (consumers
    # must not claim "unused" otherwise).
    complete: bool


def function_needs(facts: Facts, app: Application) -> Mapping[str, FunctionNeeds]:
    """Every function of `app` with its needs, keyed by Function.id; memoised per scan."""
    return facts.get("iam-needs", app, lambda a, _root: _compute(facts, a))


# --- the analysis -----------------------------------------------------------------------------------

# Modules whose import means the code may call AWS: code importing none of them needs nothing.
_SDK_MODULES = ("boto3", "botocore", "aioboto3", "aws-sdk", "@aws-sdk/")
_engines: weakref.WeakKeyDictionary[Facts, dict[tuple[str, str], SdkEngine]] = weakref.WeakKeyDictionary()


def _compute(facts: Facts, app: Application) -> Mapping[str, FunctionNeeds]:
    from faasguard.analysis.code.analyse import code_facts, module_loader, scan_cache
    from faasguard.analysis.code.sdk_calls import SdkEngine, collect
    from faasguard.analysis.iam import wrappers

    code = code_facts(facts, app)
    cache = scan_cache(facts)
    engines = _engines.setdefault(facts, {})
    hidden = _HiddenCalls(facts, app)
    out: dict[str, FunctionNeeds] = {}
    for fn in app.functions:
        fc = code.functions.get(fn.id)
        if fc is None or not fc.language or not fc.handler_file or not fc.files:
            out[fn.id] = FunctionNeeds(fn.id, None, (), (), False)
            continue
        language = "typescript" if fc.handler_file.endswith((".ts", ".mts", ".cts", ".tsx")) else fc.language
        modules = [m for m in (cache.modules.get(f) for f in fc.files) if m is not None]
        # Packages that call AWS for the function: what the SDK analysis cannot see.
        wrapped, modelled = hidden.of(fn.id, fc.language, modules)
        wrapped += [(layer.source, why) for layer in fn.layers if (why := wrappers.layer_reason(layer.arn))]
        if not modelled and not any(
            imp.module.startswith(_SDK_MODULES) or imp.module in ("aws-sdk",)
            for m in modules
            for imp in m.imported_modules
        ):
            problems = _sorted_problems(wrapped)
            out[fn.id] = FunctionNeeds(fn.id, language, (), problems, bool(fc.entries) and not problems)
            continue
        front = cache.front_for(fc.handler_file)
        assert front is not None
        key = (front.language, fc.code_root)
        engine = engines.get(key)
        if engine is None:
            engine = SdkEngine(module_loader(cache, front, fc.code_root), front.catalog, front.language)
            engines[key] = engine
        calls: list[SdkCall] = []
        try:
            for entry in fc.entries:
                summ = engine.summary(entry.file, entry.qual)
                if summ is not None:
                    calls.extend(collect(engine, summ.hits.values()))
            for m in modules:
                engine.module_globals(m)
                body = engine.summaries.get((m.path, "<module>"))
                if body is not None:
                    calls.extend(collect(engine, body.hits.values()))
        except RecursionError:
            out[fn.id] = FunctionNeeds(
                fn.id, language, (), ((SourceRef(fc.handler_file, 1, 1), "code nested too deeply"),), False
            )
            continue
        out[fn.id] = _needs(app, fn, language, calls, bool(fc.entries), wrapped)
    return out


def _sorted_problems(problems: Iterable[tuple[SourceRef, str]]) -> tuple[tuple[SourceRef, str], ...]:
    return tuple(sorted(set(problems), key=lambda u: (u[0].path, u[0].line, u[1])))


class _HiddenCalls:
    """Imports of packages that call AWS on the function's behalf (iam/wrappers.py's reviewed
    table; otherwise a package whose locked dependencies reach the AWS SDK)."""

    def __init__(self, facts: Facts, app: Application) -> None:
        self.facts = facts
        self.app = app
        self._shipped: dict[str, list[Any]] | None = None
        self._verdicts: dict[tuple[int, str], str | None] = {}  # (shipped, import) -> reason

    def of(
        self, function: str, language: str, modules: Iterable[Module]
    ) -> tuple[list[tuple[SourceRef, str]], bool]:
        """(unresolved import lines with the reason, whether a modelled wrapper is imported)."""
        from faasguard.analysis.iam import wrappers

        problems: list[tuple[SourceRef, str]] = []
        modelled = False
        for m in modules:
            for imp in m.imported_modules:
                name = _imported_name(language, imp)
                if name is None:
                    continue
                ref = SourceRef(m.path, imp.line, imp.line)
                got = wrappers.lookup(language, name)
                if got is not None:
                    row = got[0]
                    if row.calls == wrappers.MODELLED:
                        modelled = True
                    elif row.calls == wrappers.HIDDEN:
                        tail = "" if "not derived" in row.why else "; its actions are not derived"
                        pkg = _package(language, name)
                        lead = "" if row.why.startswith(pkg + " ") else f"{pkg}: "
                        problems.append((ref, f"{lead}{row.why}{tail}"))
                    continue
                why = self._depends_on_sdk(function, language, imp)
                if why is not None:
                    problems.append((ref, why))
        return problems, modelled

    def _depends_on_sdk(self, function: str, language: str, imp: Import) -> str | None:
        ecosystem = "PyPI" if language == "python" else "npm"
        for shipped in self._shipped_of(function):
            if shipped.ecosystem != ecosystem or not shipped.graph:
                continue
            key = (id(shipped), imp.module)
            if key not in self._verdicts:
                self._verdicts[key] = self._verdict(shipped, ecosystem, language, imp.module)
            if self._verdicts[key] is not None:
                return self._verdicts[key]
        return None

    @staticmethod
    def _verdict(shipped: Any, ecosystem: str, language: str, module: str) -> str | None:
        from faasguard.analysis.deps.inventory import closure
        from faasguard.analysis.deps.model import DepFile
        from faasguard.analysis.iam import wrappers

        hits = [p for p in shipped.packages if _provides(p, language, module)]
        if not hits or any(wrappers.is_sdk_distribution(ecosystem, p.key) for p in hits):
            return None
        graph = DepFile("", "", ecosystem, packages=shipped.packages, graph=True)
        reached, _ = closure(graph, [p.node for p in hits if p.node])
        nodes = {p.node: p for p in shipped.packages if p.node}
        sdk = sorted(
            p.name
            for n in reached
            if (p := nodes.get(n)) is not None and wrappers.is_sdk_distribution(ecosystem, p.key)
        )
        if sdk:
            where = sorted({nodes[n].source.path for n in reached if n in nodes and nodes[n].name in sdk})
            return (
                f"{hits[0].name} depends on {sdk[0]} ({where[0]}): it may call AWS on the "
                "function's behalf; its actions are not derived"
            )
        return None

    def _shipped_of(self, function: str) -> list[Any]:
        if self._shipped is None:
            from faasguard.analysis.deps.analysis import inventory

            self._shipped = {
                fd.function: [s for _, s in fd.all_shipped()]
                for fd in inventory(self.app, self.facts).functions
            }
        return self._shipped.get(function, [])


def _imported_name(language: str, imp: Import) -> str | None:
    """The third-party name an import statement loads ("pkg.sub.Symbol", "@scope/pkg/sub"), or
    None for relative imports and the standard library."""
    import sys

    if imp.level or not imp.module:
        return None
    if language == "python":
        if imp.module.split(".")[0] in sys.stdlib_module_names:
            return None
        return f"{imp.module}.{imp.symbol}" if imp.symbol else imp.module
    from faasguard.analysis.deps.reachability import NODE_BUILTINS

    spec = imp.module
    if spec.startswith(("node:", ".", "/")) or spec.split("/")[0] in NODE_BUILTINS:
        return None
    return spec


def _package(language: str, name: str) -> str:
    if language == "python":
        return name.split(".")[0]
    parts = name.split("/")
    return "/".join(parts[:2]) if name.startswith("@") and len(parts) > 1 else parts[0]


def _provides(pkg: Any, language: str, module: str) -> bool:
    """Whether a shipped package is the one an import loads."""
    from faasguard.analysis.deps.reachability import python_candidates

    if language != "python":
        name = _package(language, module)
        return name in pkg.import_names or pkg.name == name
    if module.split(".")[0] in pkg.import_names:
        return True
    return bool(pkg.key in python_candidates(module))


def _needs(
    app: Application,
    fn: Function,
    language: str,
    calls: Iterable[SdkCall],
    entries: bool,
    hidden: Iterable[tuple[SourceRef, str]] = (),
) -> FunctionNeeds:
    from faasguard.analysis.iam import sdk_map, wrappers

    acc: _Acc = {}
    unresolved: set[tuple[SourceRef, str]] = set(hidden)
    seen: set[tuple[str, int, str | None, str | None, tuple[tuple[str, str], ...]]] = set()
    for call in calls:
        ref = SourceRef(call.file, call.line, call.line)
        key = (call.file, call.line, call.service, call.operation, tuple(sorted(call.args.items())))
        if key in seen:
            continue
        seen.add(key)
        if call.problem is not None or call.service is None or call.operation is None:
            unresolved.add((ref, f"{call.via}: {call.problem or 'unresolved'}"))
            continue
        mapped = sdk_map.map_operation(
            call.service, call.operation, frozenset(call.args), call.statements, call.items
        )
        if mapped.problem is not None:
            unresolved.add((ref, f"{call.via}: {mapped.problem}"))
            continue
        forward = wrappers.forwarded(call.service, call.operation)
        if forward is not None:
            unresolved.update(
                (ref, f"{call.via}: {why}") for why in _forwarded(app, fn, call, forward, acc, ref)
            )
        for need in mapped.actions:
            res, store = _resource(app, fn, call, need.action, need.on)
            entry = acc.setdefault(need.action, (set(), set(), set()))
            entry[0].add(res)
            entry[1].add(ref)
            if need.why:
                entry[2].add(need.why)
            if store is not None and isinstance(store.kms_key, str) and store.kms_key:
                op_key = f"{call.operation}:{need.on}" if need.on else call.operation
                for kms in _kms_actions(store, op_key):
                    kentry = acc.setdefault(kms, (set(), set(), set()))
                    kentry[0].add(_key_resource(store))
                    kentry[1].add(ref)
                    kentry[2].add(f"{store.id} is encrypted with a customer managed key")
    actions = tuple(
        NeededAction(
            action,
            _tidy(res),
            tuple(sorted(refs, key=lambda r: (r.path, r.line))),
            "; ".join(sorted(whys)) or None,
        )
        for action, (res, refs, whys) in sorted(acc.items())
    )
    problems = _sorted_problems(unresolved)
    return FunctionNeeds(fn.id, language, actions, problems, entries and not problems)


_Acc = dict[str, tuple[set[NeededResource], set[SourceRef], set[str]]]


def _forwarded(
    app: Application, fn: Function, call: SdkCall, row: Mapping[str, Any], acc: _Acc, ref: SourceRef
) -> list[str]:
    """The actions a service then performs with the caller's credentials (added to `acc`), and
    the reasons some cannot be derived."""
    from dataclasses import replace

    unknown: list[str] = []
    without = row.get("unknown_without")
    if "unknown" in row and (without is None or without not in call.args):
        unknown.append(str(row["unknown"]))
    for extra in row.get("actions", ()):
        argument = str(extra["argument"])
        if argument not in call.args and argument == without:
            continue
        derived = replace(
            call,
            service=str(extra["service"]),
            args={str(extra["member"]): call.args[argument]} if argument in call.args else {},
        )
        res, _store = _resource(app, fn, derived, str(extra["action"]), None)
        entry = acc.setdefault(str(extra["action"]), (set(), set(), set()))
        entry[0].add(res)
        entry[1].add(ref)
        entry[2].add(str(extra["why"]))
    return unknown


def _tidy(res: set[NeededResource]) -> tuple[NeededResource, ...]:
    """ "*" covers every other resource: keep it alone (with its notes)."""
    stars = [r for r in res if r.literal == "*"]
    if stars:
        notes = sorted({r.note for r in stars if r.note})
        return (NeededResource(literal="*", note="; ".join(notes) or None),)
    return tuple(sorted(res, key=lambda r: (r.store or "", r.suffix, r.literal or "")))


_STORE_KINDS: Mapping[str, StoreKind] = {k.value: k for k in StoreKind}


def _resource(
    app: Application, fn: Function, call: SdkCall, action: str, on: str | None
) -> tuple[NeededResource, DataStore | None]:
    from faasguard.analysis.iam import sdk_map
    from faasguard.analysis.iam.actions import lookup

    info = lookup(action)
    if info is not None and not info.resource_level:
        return NeededResource(literal="*", note=f"{action} takes no resource-level permissions"), None
    table: Mapping[str, Any] = sdk_map.exceptions()["resource_arguments"]
    # An S3 object named by a request structure (CopySource, Image.S3Object): its Bucket member.
    s3_member = on is not None and action.startswith("s3:")
    spec = table.get("s3" if s3_member else call.service or "")
    if spec is None:
        return NeededResource(literal="*", note=f"the {call.service} resource is not derived from code"), None
    members = [f"{on}.Bucket"] if s3_member else list(spec["members"])
    value = next((call.args[m] for m in members if m in call.args), None)
    if value is None and call.service == "dynamodb" and call.statements:
        tables = {t for s in call.statements if s and (t := _partiql_table(s))}
        value = "c:" + tables.pop() if len(tables) == 1 else None
    kind = _STORE_KINDS.get(str(spec["store"]))
    if kind is None and value is not None and value.startswith(("c:", "e:")):
        return _other_resource(fn, value, str(spec.get("arn", ""))), None
    suffix = _suffix(call, action, info.resource_types if info else ())
    if value is None or value == "?":
        return NeededResource(literal="*", note=f"{call.via}: the {members[0]} is computed at run time"), None
    if value.startswith("e:"):
        name = value[2:]
        env = next((e for e in fn.environment if e.name == name), None)
        if env is None:
            return NeededResource(
                literal="*", note=f"environment variable {name} is not set by the template"
            ), None
        store = _store_for_value(app, env.value, kind)
        if store is not None:
            return NeededResource(store=store.id, suffix=suffix), store
        if isinstance(env.value, str) and "${" not in env.value and env.value:
            return _literal(env.value, kind, suffix), None
        return NeededResource(
            literal="*", note=f"environment variable {name} names no resource of the app"
        ), None
    text = value[2:]
    store = _store_for_value(app, text, kind)
    if store is not None:
        return NeededResource(store=store.id, suffix=suffix), store
    return _literal(text, kind, suffix), None


_PARTIQL_TABLE = re.compile(r'\b(?:FROM|UPDATE|INTO)\s+"?([A-Za-z0-9_.-]+)"?', re.IGNORECASE)


def _partiql_table(statement: str) -> str | None:
    m = _PARTIQL_TABLE.search(statement)
    return m.group(1) if m else None


def _other_resource(fn: Function, value: str, template: str) -> NeededResource:
    """A resource that is no store of the model (a function): its ARN from a literal name."""
    text: object = value[2:]
    if value.startswith("e:"):
        env = next((e for e in fn.environment if e.name == value[2:]), None)
        text = env.value if env is not None else None
    if not isinstance(text, str) or not text or "${" in text or not template:
        return NeededResource(literal="*", note=f"cannot tell the resource named by {value[2:]}")
    return NeededResource(literal=text if text.startswith("arn:") else template.format(name=text))


def _suffix(call: SdkCall, action: str, resource_types: tuple[str, ...]) -> str:
    if action.startswith("s3:") and "object" in resource_types and "bucket" not in resource_types:
        return "/*"  # object keys are mostly computed: every object of the bucket
    if action.startswith("dynamodb:") and "IndexName" in call.args:
        index = call.args["IndexName"]
        return "/index/" + (index[2:] if index.startswith("c:") else "*")
    return ""


def _store_for_value(app: Application, value: object, kind: StoreKind | None) -> DataStore | None:
    from faasguard.loaders.intrinsics import ref_id

    if not isinstance(value, str):
        return None
    rid = ref_id(value)
    if rid is None and value.startswith("${") and value.endswith("}"):
        inner = value[2:-1]
        # Terraform: aws_s3_bucket.uploads.id -> the store aws_s3_bucket.uploads
        parts = inner.split(".")
        rid = ".".join(parts[:2]) if len(parts) >= 2 else inner
    if rid is not None:
        store = app.store(rid)
        if store is not None and (kind is None or store.kind == kind):
            return store
        return None
    for store in app.stores:
        if not ((kind is None or store.kind == kind) and isinstance(store.name, str) and store.name):
            continue
        if value == store.name or (
            store.kind is StoreKind.SQS and value.rstrip("/").endswith("/" + store.name)
        ):
            return store
    return None


def _literal(text: str, kind: StoreKind | None, suffix: str) -> NeededResource:
    if text.startswith("arn:"):
        return NeededResource(literal=text + suffix)
    if kind is StoreKind.SQS and text.startswith("https://"):
        parts = text.rstrip("/").split("/")
        if len(parts) >= 5:
            region = parts[2].split(".")[1] if parts[2].count(".") >= 2 else "*"
            return NeededResource(literal=f"arn:aws:sqs:{region}:{parts[3]}:{parts[4]}")
    arn = _arn(kind, text)
    if arn is None:
        return NeededResource(literal="*", note=f"cannot tell the ARN of {text!r}")
    return NeededResource(literal=arn + suffix)


# The kinds a bare name in code or a template is written out for in a generated policy (the
# ARN of an RDS cluster, a domain or a file system is not guessed from a name: "*" instead).
_NAMED_KINDS = frozenset(
    {
        StoreKind.S3,
        StoreKind.DYNAMODB,
        StoreKind.SQS,
        StoreKind.SNS,
        StoreKind.KINESIS,
        StoreKind.SECRET,
        StoreKind.SSM_PARAMETER,
    }
)


def _arn(kind: StoreKind | None, name: str) -> str | None:
    if kind not in _NAMED_KINDS:
        return None
    arn = shaped_arn(kind, name, secret_suffix="-*")
    return arn.text() if arn is not None else None


def _kms_actions(store: DataStore, operation: str) -> list[str]:
    from faasguard.analysis.iam import sdk_map

    table: Mapping[str, Mapping[str, list[str]]] = sdk_map.exceptions()["kms"]
    return list(table.get(store.kind.value, {}).get(operation, ()))


def _key_resource(store: DataStore) -> NeededResource:
    key = store.kms_key
    if isinstance(key, str) and key.startswith("arn:"):
        return NeededResource(literal=key)
    return NeededResource(literal="*", note=f"the customer managed key of {store.id} ({key})")


# --- statements -----------------------------------------------------------------------------------


def render(resource: NeededResource, app: Application) -> str:
    """A resource as an ARN string ("*" when the store's name is not known)."""
    if resource.store is None:
        return resource.literal or "*"
    store = app.store(resource.store)
    if store is None or not isinstance(store.name, str) or not store.name or "${" in store.name:
        return "*"
    arn = _arn(store.kind, store.name)
    return arn + resource.suffix if arn is not None else "*"


def needed_statements(needs: FunctionNeeds, app: Application) -> list[dict[str, Any]]:
    """Plain IAM policy statements (Effect/Action/Resource), one per distinct resource set."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for act in needs.actions:
        rendered = sorted({render(r, app) for r in act.resources})
        groups.setdefault(("*",) if "*" in rendered else tuple(rendered), []).append(act.action)
    out: list[dict[str, Any]] = []
    for arns, acts in sorted(groups.items(), key=lambda g: (sorted(g[1]), g[0])):
        out.append(
            {
                "Effect": "Allow",
                "Action": sorted(acts),
                "Resource": arns[0] if len(arns) == 1 else list(arns),
            }
        )
    return out
