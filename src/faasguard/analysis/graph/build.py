"""Attack paths across layers: a public door, a flaw in the code behind it, what the function's
role can do, and what that reaches.

`attack_graph(facts, app)` builds, once per application and scan (through `Facts.get`), a graph
over the model and the other analyses' facts:

- entry points: routes with no authentication on a public API, Function URLs with auth NONE,
  functions any principal may invoke, and buckets / queues / topics anyone may write to, with
  the triggers they fire;
- flaws of each function: event-injection flows (code analysis), reachable dependencies with a
  high or critical advisory (dependency analysis), JWTs read without verification and
  authorisation on caller-supplied fields (code analysis), plaintext secrets in its
  configuration or code;
- what its role can do: administrator grants, privilege escalation (the FG-IAM-004 analysis),
  reading and writing the application's data stores, invoking its functions, publishing to the
  queues and topics that trigger them (followed to what those functions reach).

A path is complete only with all of entry + flaw + capability + target; each becomes one
`AttackPath`. The graph and its paths are a pure function of (application, facts): nothing is
read here that the other analyses have not read already.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from faasguard.analysis.code import catalog as fam
from faasguard.analysis.facts import Facts
from faasguard.analysis.graph.capabilities import (
    STORE_WORDS,
    Capability,
    Reach,
    RoleCapabilities,
    edge_kind,
    references,
    short,
    texts,
)
from faasguard.analysis.graph.model import AttackGraph, AttackPath, Edge, Hop, Node
from faasguard.model import Application, DataStore, Function, SourceRef, StoreKind, TriggerKind

if TYPE_CHECKING:
    from faasguard.analysis.code.analyse import AppCode, Flow

# Flaw kinds, one per rule of rules/attack_paths.py.
INJECTION = "injection"
DEPENDENCY = "dependency"
IDENTITY = "identity"
SECRET = "secret"

# Injection families that hand the caller the function itself: running code, or reading its
# files (/proc/self/environ holds the role's session credentials).
CONTROL_FAMILIES = (fam.COMMAND, fam.CODE, fam.DESERIALISE, fam.PATH, fam.XXE)
FAMILY_WORDS = {
    fam.COMMAND: "command injection",
    fam.CODE: "code injection",
    fam.DESERIALISE: "unsafe deserialisation",
    fam.PATH: "path traversal",
    fam.XXE: "XML external entities",
    fam.SQL: "query injection",
    fam.NOSQL: "NoSQL injection",
}
# Query injection reaches only the stores the query runs against: DynamoDB (PartiQL and
# expression strings) and RDS through the Data API. Other SQL clients need no IAM grant.
_QUERY_STORES = (
    (re.compile(r"PartiQL|DynamoDB|expression", re.I), StoreKind.DYNAMODB),
    (re.compile(r"rds-data|executeStatement\(\)$", re.I), StoreKind.RDS),
)

MAX_CHAIN = 3  # functions followed along one path (entry function included)

# What lets anyone start a function through a store: create objects, send messages, publish.
_PUBLIC_WRITES = {
    StoreKind.S3: ("s3:PutObject",),
    StoreKind.SQS: ("sqs:SendMessage",),
    StoreKind.SNS: ("sns:Publish",),
}
_STORE_TRIGGERS = {
    TriggerKind.S3: StoreKind.S3,
    TriggerKind.SQS: StoreKind.SQS,
    TriggerKind.SNS: StoreKind.SNS,
    TriggerKind.DYNAMODB_STREAM: StoreKind.DYNAMODB,
    TriggerKind.KINESIS: StoreKind.KINESIS,
}
ACCOUNT = Node("account", "account", "the whole AWS account", None)


# --- the builder ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Flaw:
    kind: str
    family: str
    node: Node
    words: str  # "command injection: queryStringParameters.name reaches os.system"
    entries: tuple[Node, ...]  # the entry nodes whose data reaches it
    control: bool  # the caller controls the function (code or its files): every capability
    stores: tuple[StoreKind, ...] = ()  # for query injection: the stores the query reaches
    data: dict[str, object] = field(default_factory=dict)
    trigger: SourceRef | None = None  # the trigger whose event reaches it, when known


# Request fields every HTTP payload (REST, HTTP API, Function URL) carries under the same name.
_HTTP_FIELDS = frozenset(
    {"body", "queryStringParameters", "headers", "multiValueQueryStringParameters", "cookies"}
)


class GraphBuilder:
    def __init__(self, app: Application, facts: Facts) -> None:
        self.app = app
        self.facts = facts
        self.graph = AttackGraph()
        self.entries: dict[str, list[Node]] = {}  # function -> entry nodes (direct doors)
        self.trigger_entry: dict[tuple[str, SourceRef], Node] = {}  # (function, trigger ref)
        self.open_invoke: dict[str, Node] = {}
        self.flaws: dict[str, list[_Flaw]] = {}
        self.capabilities: dict[str, list[Capability]] = {}
        self.store_triggers: dict[str, list[tuple[str, SourceRef]]] = {}  # store -> (function, where)

    # -- nodes --

    def build(self) -> AttackGraph:
        app = self.app
        for fn in app.functions:
            self.graph.add(Node("function", f"function:{fn.id}", fn.display_name, fn.source))
        for store in app.stores:
            self.graph.add(self._store_node(store))
        self._entries()
        self._store_edges()
        code = self._code()
        self._flaws(code)
        self._roles()
        self._paths()
        self.graph.paths.sort(key=lambda p: p.rank)
        return self.graph

    def _store_node(self, store: DataStore, entry: bool = False) -> Node:
        label = f"{STORE_WORDS.get(store.kind, store.kind.value)} {_named(store)}"
        return Node("store", f"store:{store.id}", label, store.source, entry)

    def _code(self) -> AppCode | None:
        if not self.app.functions:
            return None
        from faasguard.analysis.code.analyse import code_facts

        return code_facts(self.facts, self.app)

    def _entries(self) -> None:
        app = self.app
        for route in app.routes:
            if not route.open_to_anyone or route.function is None:  # (None narrows the type)
                continue
            api = app.api(route.api)
            where = "the implicit API" if api is not None and api.implicit else f"API {route.api}"
            node = self.graph.add(
                Node(
                    "route",
                    f"route:{route.api}:{route.label}",
                    f"public route {route.label} on {where}, no authentication",
                    route.loc("Auth.Authorizer", "AuthorizationType"),
                    entry=True,
                )
            )
            self._door(route.function, node, route.source)
        for fn in app.functions:
            if fn.url is not None and fn.url.auth_type == "NONE":
                node = self.graph.add(
                    Node(
                        "function-url",
                        f"url:{fn.id}",
                        f"Function URL of {fn.display_name} with AuthType NONE",
                        fn.url.loc("AuthType"),
                        entry=True,
                    )
                )
                self._door(fn.id, node, fn.url.source)
                for t in app.triggers_of(fn.id):
                    if t.kind is TriggerKind.FUNCTION_URL:
                        self.trigger_entry[(fn.id, t.source)] = node
        for perm in app.permissions:
            if perm.implicit or perm.principal != "*" or perm.source_arn is not None:
                continue
            if perm.source_account is not None or not isinstance(perm.action, str):
                continue
            if perm.action.lower() not in ("lambda:invokefunction", "lambda:*", "*"):
                continue
            fid = perm.function if isinstance(perm.function, str) else None
            target = self._function_by_ref(fid) if fid else None
            if target is None:
                continue
            node = self.graph.add(
                Node(
                    "open-invoke",
                    f"invoke:{perm.id}",
                    f"{perm.id} lets any principal invoke {target.display_name}",
                    perm.loc("Principal"),
                    entry=True,
                )
            )
            self.open_invoke[target.id] = node
            self._door(target.id, node, None)

    def _door(self, fid: str, node: Node, trigger: SourceRef | None) -> None:
        self.entries.setdefault(fid, [])
        if node not in self.entries[fid]:
            self.entries[fid].append(node)
        if trigger is not None:
            self.trigger_entry[(fid, trigger)] = node
        self.graph.link(Edge("triggers", node.id, f"function:{fid}", "invokes", node.source))

    def _function_by_ref(self, text: str) -> Function | None:
        fn = self.app.function(text)
        if fn is not None:
            return fn
        for f in self.app.functions:
            if references(text, f.id) is not None or (isinstance(f.name, str) and text == f.name):
                return f
        return None

    def _store_by_ref(self, text: object) -> DataStore | None:
        if not isinstance(text, str):
            return None
        store = self.app.store(text)
        if store is not None:
            return store
        for s in self.app.stores:
            if references(text, s.id) is not None:
                return s
            if (
                isinstance(s.name, str)
                and s.name
                and (text == s.name or text.endswith((":" + s.name, "/" + s.name)))
            ):
                return s
        return None

    def _public_writer(self, store: DataStore) -> tuple[SourceRef, str] | None:
        """Where a store lets anyone write (create objects, send, publish), and what it allows."""
        from faasguard.analysis.iam.actions import matches
        from faasguard.rules.sensitive_data import open_to_everyone

        wanted = _PUBLIC_WRITES.get(store.kind)
        if wanted is None:
            return None
        block = store.public_access_block or {}
        if store.policy is not None and not (
            block.get("BlockPublicPolicy") is True or block.get("RestrictPublicBuckets") is True
        ):
            for st in store.policy.statements:
                if not open_to_everyone(st):
                    continue
                actions = texts(st.actions)
                granted = [w for w in wanted if any(matches(a, w) for a in actions)]
                if granted:
                    return st.loc("Principal"), ", ".join(granted)
        if (
            store.kind is StoreKind.S3
            and store.acl == "PublicReadWrite"
            and not (block.get("BlockPublicAcls") is True or block.get("IgnorePublicAcls") is True)
        ):
            return store.loc("AccessControl"), "s3:PutObject (canned ACL PublicReadWrite)"
        return None

    def _store_edges(self) -> None:
        app = self.app
        public: dict[str, Node] = {}
        for store in app.stores:
            writer = self._public_writer(store)
            if writer is not None:
                where, what = writer
                words = STORE_WORDS.get(store.kind, store.kind.value)
                label = f"public {words} {_named(store)} (anyone may {what})"
                node = Node("store", f"store:{store.id}", label, where, True)
                self.graph.nodes[node.id] = node
                public[store.id] = node
        for t in app.triggers:
            wanted = _STORE_TRIGGERS.get(t.kind)
            source = self._store_by_ref(t.target) if wanted is not None else None
            if source is None or source.kind is not wanted:
                continue
            self.store_triggers.setdefault(source.id, []).append((t.function, t.source))
            self.graph.link(
                Edge("triggers", f"store:{source.id}", f"function:{t.function}", t.kind.value, t.source)
            )
            door = public.get(source.id)
            if door is not None:
                self._door(t.function, door, t.source)
        for store in app.stores:  # S3 notifications written on the bucket (CloudFormation, Terraform)
            for kind, target in store.notifications:
                fn = self._function_by_ref(target) if kind == "lambda" and isinstance(target, str) else None
                if fn is None:
                    continue
                pair = (fn.id, store.source)
                if not any(f == fn.id for f, _ in self.store_triggers.get(store.id, [])):
                    self.store_triggers.setdefault(store.id, []).append(pair)
                    self.graph.link(
                        Edge("triggers", f"store:{store.id}", f"function:{fn.id}", "s3", store.source)
                    )
                    door = public.get(store.id)
                    if door is not None:
                        self._door(fn.id, door, store.source)

    # -- flaws --

    def _flow_entries(self, flow: Flow) -> tuple[Node, ...]:
        """The entry whose data reaches a flow, when the flow enters through one."""
        exp = flow.exposure
        if exp is not None and exp.source is not None:
            node = self.trigger_entry.get((flow.function, exp.source))
            if node is not None and flow.source_kind != "second-order":
                return (node,)
        invoke = self.open_invoke.get(flow.function)
        if invoke is not None and flow.source_kind in ("event", "request"):
            return (invoke,)
        if flow.source_kind in ("event", "request") and flow.field.split(".", 1)[0] in _HTTP_FIELDS:
            # The code analysis ties a flow to one trigger; a request field such as the body
            # arrives the same way through every HTTP door of the function (its Function URL,
            # its other public routes), so those doors reach the flaw too.
            return tuple(
                n for n in self.entries.get(flow.function, ()) if n.kind in ("route", "function-url")
            )
        return ()

    def _flaw(self, fid: str, flaw: _Flaw) -> None:
        self.graph.add(flaw.node)
        self.graph.link(Edge("has-flaw", f"function:{fid}", flaw.node.id, flaw.words, flaw.node.source))
        self.flaws.setdefault(fid, []).append(flaw)

    def _flaws(self, code: AppCode | None) -> None:
        if code is not None:
            self._injection_flaws(code)
            self._identity_flaws(code)
        self._dependency_flaws()
        self._secrets(code)

    def _injection_flaws(self, code: AppCode) -> None:
        for family in (*CONTROL_FAMILIES, fam.SQL, fam.NOSQL):
            for flow in code.flows(family):
                stores: tuple[StoreKind, ...] = ()
                if family in (fam.SQL, fam.NOSQL):
                    stores = tuple(kind for rx, kind in _QUERY_STORES if rx.search(flow.sink))
                    if not stores:
                        continue
                entries = self._flow_entries(flow)
                where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
                words = f"{flow.field} reaches {flow.sink} ({FAMILY_WORDS[family]})"
                node = Node("flaw", f"flaw:{flow.function}:{family}:{where}", words, flow.sink_ref)
                self._flaw(
                    flow.function,
                    _Flaw(
                        INJECTION,
                        family,
                        node,
                        words,
                        entries,
                        family in CONTROL_FAMILIES,
                        stores,
                        {"source": flow.field, "sink": flow.sink, "confidence": flow.confidence},
                        flow.exposure.source if flow.exposure is not None else None,
                    ),
                )

    def _identity_flaws(self, code: AppCode) -> None:
        from faasguard.analysis.code.taint import AUTHZ

        for flow in code.flows(AUTHZ):
            where = f"{flow.sink_ref.path}:{flow.sink_ref.line}"
            words = f"authorisation decided on {flow.field}, a value the caller chooses"
            node = Node("flaw", f"flaw:{flow.function}:authz:{where}", words, flow.sink_ref)
            entries = self._flow_entries(flow)
            self._flaw(flow.function, _Flaw(IDENTITY, "authz", node, words, entries, False))
        for fact in code.facts("jwt-unverified"):
            fid = fact.function
            where = f"{fact.source.path}:{fact.source.line}"
            words = f"JWT read without verifying its signature ({fact.detail})"
            node = Node("flaw", f"flaw:{fid}:jwt:{where}", words, fact.source)
            self._flaw(fid, _Flaw(IDENTITY, "jwt", node, words, tuple(self.entries.get(fid, ())), False))

    def _dependency_flaws(self) -> None:
        if not any(self.entries.get(fn.id) for fn in self.app.functions):
            return  # no door: the vulnerability data need not be read for paths
        from faasguard.analysis.deps.analysis import vulnerabilities

        for match in vulnerabilities(self.app, self.facts):
            group, pkg = match.group, match.use.package
            if not group.malicious and group.severity not in ("high", "critical"):
                continue  # precision: only advisories rated high or critical make a path
            label = f"{pkg.name} {pkg.version or pkg.spec or ''}".strip()
            what = "malicious code" if group.malicious else f"{group.primary} ({group.severity})"
            words = f"{label} has {what} and the handler loads it"
            for fid in sorted(match.use.functions):
                if match.use.reach.get(fid) != "yes" and not group.malicious:
                    continue
                node = Node(
                    "flaw",
                    f"flaw:{fid}:dependency:{pkg.source.path}:{pkg.source.line}:{group.primary}",
                    words,
                    pkg.source,
                )
                data: dict[str, object] = {
                    "package": pkg.name,
                    "version": pkg.version,
                    "advisory": group.primary,
                    "malicious": group.malicious,
                }
                self._flaw(
                    fid,
                    _Flaw(
                        DEPENDENCY,
                        "dependency",
                        node,
                        words,
                        tuple(self.entries.get(fid, ())),
                        True,
                        (),
                        data,
                    ),
                )

    def _secrets(self, code: AppCode | None) -> None:
        """Plaintext secrets a function holds (configuration and code): targets of control flaws."""
        from faasguard.rules.sensitive_data import looks_like_secret, secret_name, token_shape

        for fn in self.app.functions:
            for var in fn.environment:
                value = var.value
                if not isinstance(value, str) or "{{resolve:" in value:
                    continue
                shape = token_shape(value)
                if shape is None and secret_name(var.name) and looks_like_secret(value):
                    shape = "a secret-looking value"
                if shape is None:
                    continue
                self.graph.add(
                    Node(
                        "secret",
                        f"secret:{fn.id}:{var.name}",
                        f"environment variable {var.name} ({shape})",
                        var.source,
                    )
                )
                self.graph.link(
                    Edge(
                        "exposes",
                        f"function:{fn.id}",
                        f"secret:{fn.id}:{var.name}",
                        "environment",
                        var.source,
                    )
                )
        if code is None:
            return
        for fact in code.facts("secret-literal"):
            name = str(fact.data.get("name") or "")
            value = fact.data.get("value")
            if not isinstance(value, str):
                continue
            shape = token_shape(value)
            if shape is None and not (name and secret_name(name) and looks_like_secret(value)):
                continue
            what = shape or "a literal secret value"
            sid = f"secret:{fact.function}:{fact.source.path}:{fact.source.line}"
            label = f"{name or 'a literal'} in {fact.source.path} ({what})"
            self.graph.add(Node("secret", sid, label, fact.source))
            self.graph.link(Edge("exposes", f"function:{fact.function}", sid, "code", fact.source))

    # -- roles --

    def _roles(self) -> None:
        by_role: dict[str, list[Function]] = {}
        for fn in self.app.functions:
            role = self.app.role(fn.role)
            if role is not None:
                by_role.setdefault(role.id, []).append(fn)
                self.graph.add(Node("role", f"role:{role.id}", f"role {role.id}", role.source))
                self.graph.link(
                    Edge("runs-as", f"function:{fn.id}", f"role:{role.id}", "execution role", fn.loc("Role"))
                )
        self.capabilities = RoleCapabilities(self.app, self.facts).of(by_role)
        for rid, caps in self.capabilities.items():
            for cap in caps:
                for reach in cap.reaches:
                    if reach.node == ACCOUNT.id:
                        self.graph.add(ACCOUNT)
                    self.graph.link(
                        Edge(edge_kind(reach.access), f"role:{rid}", reach.node, cap.label, cap.source)
                    )

    # -- paths --

    def _paths(self) -> None:
        for fn in self.app.functions:
            for flaw in self.flaws.get(fn.id, []):
                for entry in flaw.entries:
                    self._from_flaw(entry, fn, flaw)
        self._dedupe()

    def _entry_hop(self, entry: Node) -> Hop:
        return Hop("entry", entry.id, entry.label, entry.label, _ref(entry.source, self.app))

    def _function_hop(self, fn: Function, via: str = "") -> Hop:
        return Hop(
            "function",
            f"function:{fn.id}",
            fn.display_name,
            f"{via}runs function {fn.display_name}",
            fn.source,
        )

    def _flaw_hop(self, flaw: _Flaw) -> Hop:
        return Hop("flaw", flaw.node.id, flaw.words, flaw.words, _ref(flaw.node.source, self.app))

    def _cap_hop(self, cap: Capability) -> Hop:
        return Hop("capability", cap.id, cap.label, f"its role {cap.role} {cap.label}", cap.source)

    def _target_hop(self, reach: Reach, cap: Capability) -> Hop:
        node = self.graph.nodes[reach.node]
        verb = _VERBS[reach.access]
        star = ' (through Resource "*")' if reach.star and reach.access not in ("admin", "escalate") else ""
        # The account has no line of its own: the grant that hands it over is where to look.
        where = node.source if node.source is not None else cap.source
        return Hop("target", node.id, node.label, f"{verb} {node.label}{star}", where)

    def _from_flaw(self, entry: Node, fn: Function, flaw: _Flaw) -> None:
        head = (self._entry_hop(entry), self._function_hop(fn), self._flaw_hop(flaw))
        if flaw.kind == INJECTION and flaw.control:
            self._secret_path(fn, flaw, head)
        for cap, reaches in self._usable(fn, flaw):
            self._emit(flaw, fn, head, cap, reaches)
            if flaw.control:
                self._follow(flaw, fn, (*head, self._cap_hop(cap)), cap, reaches, {fn.id}, 1)

    def _usable(self, fn: Function, flaw: _Flaw) -> Iterator[tuple[Capability, tuple[Reach, ...]]]:
        """The capabilities of the function's role the flaw lets the caller use, with their reach."""
        role = self.app.role(fn.role)
        if role is None:
            return
        for cap in self.capabilities.get(role.id, []):
            if flaw.control:
                yield cap, cap.reaches
                continue
            if cap.kind != "data":
                continue  # a forged identity or a query uses the function's own work, not its role
            reaches = cap.reaches
            if flaw.stores:
                kinds = {f"store:{s.id}" for s in self.app.stores if s.kind in flaw.stores}
                reaches = tuple(r for r in reaches if r.node in kinds)
            if reaches:
                yield cap, reaches

    def _secret_path(self, fn: Function, flaw: _Flaw, head: tuple[Hop, ...]) -> None:
        secrets = sorted(
            (
                self.graph.nodes[e.target]
                for e in self.graph.edges
                if e.kind == "exposes" and e.source == f"function:{fn.id}"
            ),
            key=lambda n: (_ref(n.source).path, _ref(n.source).line, n.id),
        )
        if not secrets:
            return
        how = "reads the files of" if flaw.family in (fam.PATH, fam.XXE) else "runs code in"
        what = (
            "its environment (/proc/self/environ) and code"
            if how.startswith("reads")
            else "its environment and code"
        )
        cap = Hop(
            "capability",
            f"process:{fn.id}",
            f"the caller {how} the function",
            f"the caller {how} {fn.display_name}: {what}",
            flaw.node.source or fn.source,
        )
        targets = tuple(
            Hop("target", s.id, s.label, f"reads {s.label}", _ref(s.source, self.app)) for s in secrets
        )
        self.graph.paths.append(
            AttackPath(
                SECRET,
                flaw.family,
                fn.id,
                head[0],
                head[2],
                cap,
                targets,
                (*head, cap, *targets),
                False,
                False,
                "the caller reads " + short([s.label for s in secrets], 2),
                (head[0].label,),
                dict(flaw.data),
            )
        )

    def _emit(
        self, flaw: _Flaw, fn: Function, head: tuple[Hop, ...], cap: Capability, reaches: tuple[Reach, ...]
    ) -> None:
        """One path: `head` runs from the entry to the flaw that uses `cap` (through a chain of
        functions when it is longer than entry, function, flaw)."""
        cap_hop = self._cap_hop(cap)
        targets = tuple(self._target_hop(r, cap) for r in reaches)
        strong = flaw.kind != DEPENDENCY or flaw.data.get("malicious") is True
        self.graph.paths.append(
            AttackPath(
                flaw.kind,
                flaw.family,
                fn.id,
                head[0],
                head[2],
                cap_hop,
                targets,
                (*head, cap_hop, *targets),
                strong and any(r.critical for r in reaches),
                any(r.star for r in reaches),
                _summary(cap.kind, targets),
                (head[0].label,),
                dict(flaw.data),
            )
        )

    def _follow(
        self,
        flaw: _Flaw,
        fn: Function,
        prefix: tuple[Hop, ...],
        cap: Capability,
        reaches: tuple[Reach, ...],
        seen: set[str],
        depth: int,
    ) -> None:
        """Through a function the caller can invoke, or a queue / topic / bucket it can write that
        triggers one, to that function's own control flaws and role: the caller writes the event."""
        if depth >= MAX_CHAIN:
            return
        for reach in reaches:
            nexts: list[tuple[Function, Hop | None, SourceRef | None]] = []
            if reach.access == "invoke":
                nxt = self.app.function(reach.node.removeprefix("function:"))
                if nxt is not None:
                    nexts.append((nxt, None, None))
            elif reach.access in ("write", "read and write"):
                sid = reach.node.removeprefix("store:")
                for fid, where in self.store_triggers.get(sid, []):
                    nxt = self.app.function(fid)
                    if nxt is not None:
                        words = f"{sid} triggers {nxt.display_name}"
                        nexts.append(
                            (nxt, Hop("trigger", f"trigger:{sid}:{fid}", words, words, where), where)
                        )
            for nxt, trigger_hop, via in nexts:
                if nxt.id in seen:
                    continue
                for flaw2 in self.flaws.get(nxt.id, []):
                    if flaw2.kind != INJECTION or not flaw2.control:
                        continue
                    if via is not None and flaw2.trigger is not None and flaw2.trigger != via:
                        continue  # the flaw reads another trigger's event
                    head = (
                        *prefix,
                        self._target_hop(reach, cap),
                        *((trigger_hop,) if trigger_hop is not None else ()),
                        self._function_hop(nxt, "then "),
                        self._flaw_hop(flaw2),
                    )
                    for cap2, reaches2 in self._usable(nxt, flaw2):
                        self._emit(flaw, fn, head, cap2, reaches2)
                        self._follow(
                            flaw, fn, (*head, self._cap_hop(cap2)), cap2, reaches2, seen | {nxt.id}, depth + 1
                        )

    def _dedupe(self) -> None:
        """One path per function, kind and flaw family: the best ranked (critical first, then
        fewest hops, then the first sink). The other doors to it and the other grants it leads to
        are listed with it, so a flaw behind a powerful role is one finding to fix, not one per
        grant or per sink."""
        groups: dict[tuple[str, str, str], list[AttackPath]] = {}
        for path in sorted(self.graph.paths, key=lambda p: p.rank):
            groups.setdefault((path.function, path.kind, path.family), []).append(path)
        kept: list[AttackPath] = []
        for paths in groups.values():
            best = paths[0]
            entries = tuple(dict.fromkeys(p.entry.label for p in paths))
            others: dict[str, dict[str, object]] = {}
            for p in paths[1:]:
                if p.capability.id == best.capability.id and p.targets == best.targets:
                    continue
                others.setdefault(
                    f"{p.capability.id} {p.summary}",
                    {"capability": p.capability.message, "reaches": p.summary, "critical": p.critical},
                )
            data = {**best.data, "other_paths": list(others.values())} if others else best.data
            kept.append(replace(best, entries=entries, data=data))
        self.graph.paths = kept


_VERBS = {
    "read": "reads",
    "write": "writes",
    "read and write": "reads and writes",
    "invoke": "invokes",
    "escalate": "takes over",
    "admin": "controls",
}


def _named(store: DataStore) -> str:
    name = store.name if isinstance(store.name, str) else None
    return f"{store.id} ({name})" if name and name != store.id else store.id


def _ref(source: SourceRef | None, app: Application | None = None) -> SourceRef:
    if source is not None:
        return source
    return app.source if app is not None else SourceRef("", 0, 0)


def _summary(kind: str, targets: tuple[Hop, ...]) -> str:
    if kind == "admin":
        return "the caller becomes administrator of the whole AWS account"
    if kind == "escalation":
        return "the caller can make the role administrator of the account"
    return "the caller " + short([t.message for t in targets], 3)
