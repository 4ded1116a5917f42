"""Mutable state while one template becomes an Application; frozen at the end.

Resource handlers (cfn_resources.py for native types, sam.py for the SAM transform) record what
they learn here: functions, roles and their grants, APIs, routes, triggers, stores. Cross-links
(a policy resource naming a role, a stage naming an API) are settled in `finish`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from faasguard.loaders.intrinsics import RefTo, ref_id
from faasguard.loaders.nodes import LMap, line_of
from faasguard.model import (
    Alarm,
    Api,
    ApiKind,
    Application,
    Auth,
    Budget,
    CustomDomain,
    DataStore,
    Function,
    FunctionUrl,
    IdentityPool,
    LogGroup,
    ManagedPolicyRef,
    Permission,
    Policy,
    Role,
    Route,
    SourceRef,
    Stage,
    Trail,
    Trigger,
    Unknown,
    UsagePlan,
    UserPool,
)


@dataclass
class RoleDraft:
    id: str
    source: SourceRef
    name: object = None
    trust: Policy | None = None
    policies: list[Policy] = field(default_factory=list)
    managed: list[ManagedPolicyRef] = field(default_factory=list)
    boundary: object = None
    implicit: bool = False
    props: dict[str, SourceRef] = field(default_factory=dict)


@dataclass
class ApiDraft:
    id: str
    kind: ApiKind
    source: SourceRef
    name: object = None
    endpoint_type: object = "EDGE"
    stages: dict[str, Stage] = field(default_factory=dict)
    resource_policy: Policy | None = None
    disable_execute_api_endpoint: object = False
    implicit: bool = False
    spec: object = None
    props: dict[str, SourceRef] = field(default_factory=dict)
    # SAM Auth: authorizer definitions and the default
    authorizers: dict[str, Auth] = field(default_factory=dict)
    default_auth: Auth | None = None
    api_key_required: bool = False
    user_definition: bool = False  # SAM: routes come from the API's own definition, not its events


@dataclass
class RouteDraft:
    api: str
    method: str
    path: str
    source: SourceRef
    function: str | None
    auth: Auth | None  # None: the API default applies
    api_key_required: bool | None = None
    props: dict[str, SourceRef] = field(default_factory=dict)


class Builder:
    def __init__(self, root: Path, template_path: Path, rel: str, app_root: str, kind: str) -> None:
        self.root = root
        self.template_path = template_path
        self.rel = rel  # template path relative to the scan root
        self.app_root = app_root
        self.kind = kind
        self.functions: dict[str, dict[str, Any]] = {}
        self.roles: dict[str, RoleDraft] = {}
        self.apis: dict[str, ApiDraft] = {}
        self.routes: list[RouteDraft] = []
        self.triggers: list[Trigger] = []
        self.permissions: list[Permission] = []
        self.stores: dict[str, dict[str, Any]] = {}
        self.log_groups: list[LogGroup] = []
        self.user_pools: list[UserPool] = []
        self.identity_pools: list[IdentityPool] = []
        self.alarms: list[Alarm] = []
        self.trails: list[Trail] = []
        self.budgets: list[Budget] = []
        self.usage_plans: list[UsagePlan] = []
        self.domains: list[CustomDomain] = []
        self.waf_targets: list[object] = []
        # Deferred links: (policy, role targets) and (bucket/queue/topic id, policy)
        self.role_attachments: list[tuple[Policy, list[object]]] = []
        self.managed_attachments: list[tuple[str, list[object]]] = []  # managed policy id -> roles
        self.managed_policies: dict[str, Policy] = {}
        self.store_policies: list[tuple[list[object], Policy]] = []
        self.extra_files: list[str] = []
        self.errors: list[tuple[str, int | None, str]] = []
        self.unknowns = 0
        self.resource_types: dict[str, str] = {}
        self.raw_props: dict[str, LMap] = {}  # resolved Properties per resource, for cross-lookups
        self.globals: LMap = LMap()
        self.pending_urls: list[tuple[str, FunctionUrl]] = []
        self.pending_on_failure: list[tuple[str, object]] = []
        self.pending_specs: list[tuple[str, object, str]] = []
        self.pending_spec_files: list[tuple[str, str]] = []
        self.domain_drafts: dict[str, dict[str, Any]] = {}
        self.client_writes: list[tuple[str, str, str, SourceRef]] = []
        self.construct_paths: dict[str, str] = {}
        # SAM events with OverrideApiAuth on APIs that bring their own definition: (api, method, path)
        self.route_overrides: dict[tuple[str, str, str], Auth] = {}

    # -- locations ------------------------------------------------------------------------------

    def src(self, node: object, default: int = 1) -> SourceRef:
        line = line_of(node, default)
        end = getattr(node, "end_line", 0) or line
        return SourceRef(self.rel, line, max(end, line))

    def prop(self, props: object, key: str, fallback: SourceRef) -> SourceRef:
        if isinstance(props, LMap) and key in props.key_lines:
            line = props.key_lines[key]
            return SourceRef(self.rel, line, line)
        return fallback

    def props_map(self, props: object, fallback: SourceRef, prefix: str = "") -> dict[str, SourceRef]:
        if not isinstance(props, LMap):
            return {}
        return {prefix + k: SourceRef(self.rel, ln, ln) for k, ln in props.key_lines.items()}

    # -- value helpers --------------------------------------------------------------------------

    def unknown(self, reason: str, where: SourceRef | None = None) -> Unknown:
        self.unknowns += 1
        return Unknown(reason, where)

    def target_id(self, value: object, types: tuple[str, ...] = ()) -> str | None:
        """The logical id a value references, when it is a resource of one of `types`."""
        rid = ref_id(value)
        if rid is None or rid not in self.resource_types:
            return None
        if types and not any(self.resource_types[rid].startswith(t) for t in types):
            return None
        return rid

    def text(self, value: object) -> str | Unknown:
        if isinstance(value, str):
            return value
        if isinstance(value, RefTo):
            return value.placeholder()
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, Unknown):
            return value
        return self.unknown("a value of an unexpected shape")

    def number(self, value: object) -> int | Unknown | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return self.unknown("a boolean where a number was expected")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)
        if isinstance(value, str):
            try:
                return int(float(value))
            except ValueError:
                return self.unknown(f"not a number: {value[:40]}")
        if isinstance(value, Unknown):
            return value
        return self.unknown("a number that could not be resolved")

    def flag(self, value: object, default: bool = False) -> bool | Unknown:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, Unknown):
            return value
        return self.unknown("a flag that could not be resolved")

    # -- recording ------------------------------------------------------------------------------

    def role(self, rid: str, source: SourceRef, implicit: bool = False) -> RoleDraft:
        draft = self.roles.get(rid)
        if draft is None:
            draft = RoleDraft(rid, source, implicit=implicit)
            self.roles[rid] = draft
        return draft

    def add_store(self, sid: str, **fields: Any) -> dict[str, Any]:
        entry = self.stores.setdefault(sid, {"id": sid})
        entry.update(fields)
        return entry

    # -- freeze ---------------------------------------------------------------------------------

    def finish(self, parameters: dict[str, object]) -> Application:
        self._attach_policies()
        apis = self._freeze_apis()
        routes = self._freeze_routes()
        self._route_publicity(routes)
        stores = self._freeze_stores()
        functions = tuple(Function(**f) for f in self.functions.values())
        roles = tuple(
            Role(
                id=r.id,
                source=r.source,
                name=r.name if isinstance(r.name, (str, Unknown)) else None,
                trust=r.trust,
                policies=tuple(r.policies),
                managed=tuple(r.managed),
                boundary=r.boundary if isinstance(r.boundary, (str, Unknown)) else None,
                implicit=r.implicit,
                props=dict(r.props),
            )
            for r in self.roles.values()
        )
        files = (self.rel, *sorted(set(self.extra_files)))
        return Application(
            root=self.app_root,
            kind=self.kind,
            source=SourceRef(self.rel, 1, 1),
            files=files,
            functions=functions,
            triggers=tuple(self.triggers),
            routes=routes,
            apis=apis,
            usage_plans=tuple(self.usage_plans),
            roles=roles,
            permissions=tuple(self.permissions),
            stores=stores,
            log_groups=tuple(self.log_groups),
            user_pools=tuple(self.user_pools),
            identity_pools=tuple(self.identity_pools),
            alarms=tuple(self.alarms),
            trails=tuple(self.trails),
            budgets=tuple(self.budgets),
            unknowns=self.unknowns,
            resource_count=len(self.resource_types),
            parameters=parameters,
            construct_paths=dict(self.construct_paths),
            resource_types=dict(self.resource_types),
        )

    def _attach_policies(self) -> None:
        for policy, targets in self.role_attachments:
            for target in targets:
                rid = self.target_id(target, ("AWS::IAM::Role",))
                if rid is not None and rid in self.roles:
                    self.roles[rid].policies.append(policy)
        for mid, targets in self.managed_attachments:
            managed = self.managed_policies.get(mid)
            if managed is None:
                continue
            for target in targets:
                rid = self.target_id(target, ("AWS::IAM::Role",))
                if rid is not None and rid in self.roles:
                    self.roles[rid].policies.append(managed)

    def _freeze_apis(self) -> tuple[Api, ...]:
        out = []
        for d in self.apis.values():
            domains = tuple(dom for dom in self.domains if d.id in dom.apis)
            stages = tuple(self._with_waf(d.id, s) for s in d.stages.values())
            out.append(
                Api(
                    id=d.id,
                    kind=d.kind,
                    source=d.source,
                    name=d.name if isinstance(d.name, (str, Unknown)) else None,
                    endpoint_type=d.endpoint_type if isinstance(d.endpoint_type, (str, Unknown)) else "EDGE",
                    stages=stages,
                    resource_policy=d.resource_policy,
                    disable_execute_api_endpoint=(
                        d.disable_execute_api_endpoint
                        if isinstance(d.disable_execute_api_endpoint, (bool, Unknown))
                        else False
                    ),
                    domains=domains,
                    implicit=d.implicit,
                    spec=d.spec if isinstance(d.spec, (str, Unknown)) else None,
                    props=dict(d.props),
                )
            )
        return tuple(out)

    def _with_waf(self, api_id: str, stage: Stage) -> Stage:
        """A WAF association naming this API (in its ARN text or by reference) covers its stages."""
        for target in self.waf_targets:
            named = isinstance(target, str) and ("${" + api_id + "}") in target
            if named or (isinstance(target, RefTo) and target.logical_id == api_id):
                return replace(stage, waf=True)
        return stage

    def _freeze_routes(self) -> tuple[Route, ...]:
        from faasguard.model import AuthKind

        out = []
        for r in self.routes:
            api = self.apis.get(r.api)
            auth = r.auth
            if auth is None:
                auth = api.default_auth if api and api.default_auth else Auth(AuthKind.NONE)
            key_required = r.api_key_required
            if key_required is None:
                key_required = api.api_key_required if api else False
            if key_required and not auth.api_key_required:
                auth = Auth(auth.kind, auth.authorizer, True, auth.scopes)
            preflight = r.method == "OPTIONS"
            public: bool | Unknown = True
            restricted = api is not None and (
                api.endpoint_type == "PRIVATE"
                or (api.resource_policy is not None and _restricts_callers(api.resource_policy))
            )
            if restricted:
                public = False
            if preflight:
                public = False
            out.append(
                Route(
                    api=r.api,
                    method=r.method,
                    path=r.path,
                    source=r.source,
                    function=r.function,
                    auth=auth,
                    public=public,
                    preflight=preflight,
                    props=dict(r.props),
                )
            )
        return tuple(out)

    def _route_publicity(self, routes: tuple[Route, ...]) -> None:
        """An API trigger is public when the route it serves is reachable from the internet."""
        by_key = {(r.function, r.api, f"{r.method} {r.path}"): r.public for r in routes}
        for i, t in enumerate(self.triggers):
            if t.kind.is_http and t.kind.value != "function-url":
                key = (
                    t.function,
                    t.target if isinstance(t.target, str) else "",
                    str(t.details.get("route", "")),
                )
                if key in by_key:
                    self.triggers[i] = replace(t, public=by_key[key])

    def _freeze_stores(self) -> tuple[DataStore, ...]:
        for targets, policy in self.store_policies:
            for target in targets:
                sid = ref_id(target)
                if sid is not None and sid in self.stores:
                    self.stores[sid]["policy"] = policy
        return tuple(DataStore(**s) for s in self.stores.values())


_RESTRICTING_KEYS = ("aws:sourcevpce", "aws:sourcevpc", "aws:sourceip", "aws:vpcsourceip")


def _restricts_callers(policy: Policy) -> bool:
    """True when a resource policy limits callers to a VPC endpoint, VPC or address range."""
    for st in policy.statements:
        for body in st.conditions.values():
            if any(str(k).lower() in _RESTRICTING_KEYS for k in body):
                return True
    return False
