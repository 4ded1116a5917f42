"""Drift and shadow APIs: the live account against the IaC under `--against PATH`.

**Matching.** CloudFormation tags the resources it creates with `aws:cloudformation:stack-name`
and `aws:cloudformation:logical-id`. A stack whose logical ids overlap an IaC application's
resource ids is a deployment of it (several stages of one template are several deployments);
functions, APIs and buckets of the stack are matched by logical id. Live resources without such
tags are matched by name to the IaC resources that give one. Routes are matched within matched
APIs by method and path; Function URLs and invoke permissions within matched functions.

**What is reported** (each a `Difference`, turned into findings by the rules in
`faasguard.rules.drift`):

- shadow: a function, API, route, Function URL or invoke permission that is deployed but that
  no IaC describes;
- missing: what a deployed stack's template describes but the account does not have (only for
  deployments that were found, so an application never deployed here is not reported);
- auth: a route's authorization (type, authorizer, API key) or a Function URL's AuthType that
  differs from the template;
- concurrency: reserved concurrency removed, raised or lowered;
- permissions: a role that grants actions or managed policies the template does not, or lost its
  permissions boundary;
- public: a bucket open to everyone, or with Block Public Access turned off, unlike the template.

Nothing is said about what could not be read (`LiveApp.unread`): a denied call is not drift.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from faasguard.audit.build import LiveApp
from faasguard.findings import Severity
from faasguard.model import (
    Application,
    AuthKind,
    DataStore,
    Function,
    Permission,
    Role,
    Route,
    SourceRef,
    StoreKind,
    Unknown,
)


class Kind:
    SHADOW = "shadow"
    MISSING = "missing"
    AUTH = "auth"
    CONCURRENCY = "concurrency"
    PERMISSIONS = "permissions"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str
    resource: str
    message: str
    live: SourceRef | None  # the ARN of the deployed resource
    iac: SourceRef | None  # the template line, path as the user named it
    severity: Severity | None = None
    snippet: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def where(self) -> SourceRef:
        found = self.live or self.iac
        assert found is not None
        return found


@dataclass
class Deployment:
    """One IaC application as deployed in a region: by a stack, or matched by names."""

    iac: Application
    stack: str | None
    functions: dict[str, str] = field(default_factory=dict)  # IaC id -> live id
    apis: dict[str, str] = field(default_factory=dict)
    buckets: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"stack {self.stack}" if self.stack else "resources named as in the template"


_AUTH_WORDS = {
    AuthKind.NONE: "no authorization",
    AuthKind.IAM: "IAM authorization",
    AuthKind.COGNITO: "a Cognito authorizer",
    AuthKind.LAMBDA: "a Lambda authorizer",
    AuthKind.JWT: "a JWT authorizer",
    AuthKind.UNKNOWN: "an unknown authorization",
}
_SHOWN = 5


def compare(
    lives: list[LiveApp], iac_apps: list[Application], label: Callable[[SourceRef], SourceRef]
) -> dict[str, list[Difference]]:
    """Differences per live application root. `label` rewrites IaC locations for the report."""
    return {live.app.root: _Comparison(live, iac_apps, label).run() for live in lives}


def join_label(prefix: str) -> Callable[[SourceRef], SourceRef]:
    """IaC locations relative to the `--against` folder, shown relative to where the user is."""

    def label(ref: SourceRef) -> SourceRef:
        path = posixpath.normpath(posixpath.join(prefix, ref.path)) if prefix not in ("", ".") else ref.path
        return SourceRef(path, ref.line, ref.end_line)

    return label


class _Comparison:
    def __init__(self, live: LiveApp, iac_apps: list[Application], label: Callable[[SourceRef], SourceRef]):
        self.live = live
        self.app = live.app
        self.iac_apps = iac_apps
        self.label = label
        self.out: list[Difference] = []

    def run(self) -> list[Difference]:
        deployments = self._deployments()
        self._shadows(deployments)
        for dep in deployments:
            self._missing(dep)
            for iac_id, live_id in sorted(dep.functions.items()):
                iac_fn, live_fn = dep.iac.function(iac_id), self.app.function(live_id)
                if iac_fn is not None and live_fn is not None:
                    self._function(dep, iac_fn, live_fn)
            for iac_id, live_id in sorted(dep.apis.items()):
                self._routes(dep, iac_id, live_id)
            for iac_id, live_id in sorted(dep.buckets.items()):
                iac_store, live_store = dep.iac.store(iac_id), self.app.store(live_id)
                if iac_store is not None and live_store is not None:
                    self._bucket(iac_store, live_store)
        return self.out

    def _add(self, diff: Difference) -> None:
        self.out.append(diff)

    def _iac(self, ref: SourceRef) -> SourceRef:
        return self.label(ref)

    # --- matching ------------------------------------------------------------------------------

    def _deployments(self) -> list[Deployment]:
        stacks: dict[str, dict[tuple[str, str], str]] = {}
        for kind, rid in self.live.tags:
            stack, logical = self.live.stack_of(kind, rid)
            if stack and logical:
                stacks.setdefault(stack, {})[(kind, logical)] = rid
        out: list[Deployment] = []
        claimed: set[tuple[str, str]] = set()
        for stack, members in sorted(stacks.items()):
            best, overlap = None, 0
            for iac in self.iac_apps:
                ids = _iac_ids(iac)
                count = sum(1 for key in members if key in ids)
                if count > overlap:
                    best, overlap = iac, count
            if best is None:
                continue
            dep = Deployment(best, stack)
            for (kind, logical), rid in members.items():
                target = {"function": dep.functions, "api": dep.apis, "bucket": dep.buckets}[kind]
                if (kind, logical) in _iac_ids(best):
                    target[logical] = rid
                    claimed.add((kind, rid))
            out.append(dep)
        untagged = {
            key for key in self.live.tags if self.live.stack_of(*key)[0] is None and key not in claimed
        }
        for iac in self.iac_apps:
            dep = Deployment(iac, None)
            for kind, items, target in (
                ("function", iac.functions, dep.functions),
                ("api", iac.apis, dep.apis),
                ("bucket", [s for s in iac.stores if s.kind is StoreKind.S3], dep.buckets),
            ):
                for item in items:
                    name = _plain(item.name)
                    if kind == "api":
                        live_id = self._api_named(name, untagged)
                    else:
                        live_id = name if name and (kind, name) in untagged else None
                    if live_id is not None and all(live_id not in d.values() for d in _maps(out)):
                        target[item.id] = live_id
                        claimed.add((kind, live_id))
            if dep.functions or dep.apis or dep.buckets:
                out.append(dep)
        return out

    def _api_named(self, name: str | None, untagged: set[tuple[str, str]]) -> str | None:
        if not name:
            return None
        found = [a.id for a in self.app.apis if a.name == name and ("api", a.id) in untagged]
        return found[0] if len(found) == 1 else None

    # --- shadows -------------------------------------------------------------------------------

    def _shadows(self, deployments: list[Deployment]) -> None:
        unread = self.live.unread
        functions = {live for d in deployments for live in d.functions.values()}
        apis = {live for d in deployments for live in d.apis.values()}
        if "functions" not in unread:
            for fn in self.app.functions:
                if fn.id not in functions:
                    self._shadow_function(fn)
        if not {"rest_apis", "http_apis"} & unread:
            for api in self.app.apis:
                if api.id in apis:
                    continue
                routes = [r for r in self.app.routes if r.api == api.id and not r.preflight]
                open_routes = [r for r in routes if r.public is True and not r.auth.authenticates]
                stack = self.live.stack_of("api", api.id)[0]
                self._add(
                    Difference(
                        Kind.SHADOW,
                        api.id,
                        f"API {_text(api.name)} ({api.id}, {api.kind.value}) with {_count(routes, 'route')}"
                        f"{_openly(open_routes)} is deployed but no IaC under the scanned path describes it"
                        f"{_stack_words(stack)}",
                        api.source,
                        None,
                        Severity.HIGH if open_routes else None,
                        snippet=f"shadow api {api.name}",
                        extra={"what": "api", "routes": [r.label for r in routes]},
                    )
                )

    def _shadow_function(self, fn: Function) -> None:
        stack = self.live.stack_of("function", fn.id)[0]
        doors = [u for u in self.live.urls.get(fn.id, []) if u.auth_type == "NONE"]
        url = " and a public Function URL (AuthType NONE)" if doors else ""
        self._add(
            Difference(
                Kind.SHADOW,
                fn.id,
                f"Function {fn.id}{url} is deployed but no IaC under the scanned path describes it"
                f"{_stack_words(stack)}",
                fn.source,
                None,
                Severity.HIGH if doors else None,
                snippet=f"shadow function {fn.id}",
                extra={"what": "function"},
            )
        )

    # --- described but not deployed -------------------------------------------------------------

    def _missing(self, dep: Deployment) -> None:
        if dep.stack is None:
            return  # matched by names: an element named otherwise may well be deployed
        if "functions" not in self.live.unread:
            for fn in dep.iac.functions:
                if fn.id not in dep.functions:
                    self._add(
                        Difference(
                            Kind.MISSING,
                            fn.id,
                            f"Function {fn.id} is described in the template but {dep.label} has no such "
                            "function in the account",
                            None,
                            self._iac(fn.source),
                            snippet=f"missing function {fn.id}",
                            extra={"what": "function", "stack": dep.stack},
                        )
                    )
        if not {"rest_apis", "http_apis"} & self.live.unread:
            for api in dep.iac.apis:
                if api.id not in dep.apis:
                    self._add(
                        Difference(
                            Kind.MISSING,
                            api.id,
                            f"API {api.id} is described in the template but {dep.label} has no such API "
                            "in the account",
                            None,
                            self._iac(api.source),
                            snippet=f"missing api {api.id}",
                            extra={"what": "api", "stack": dep.stack},
                        )
                    )

    # --- functions: URL, permissions, concurrency, role -------------------------------------------

    def _function(self, dep: Deployment, iac_fn: Function, fn: Function) -> None:
        self._url(iac_fn, fn)
        self._invoke_permissions(dep, iac_fn, fn)
        self._concurrency(iac_fn, fn)
        self._role(dep, iac_fn, fn)

    def _url(self, iac_fn: Function, fn: Function) -> None:
        if f"function:{fn.id}:urls" in self.live.unread:
            return
        urls = self.live.urls.get(fn.id, [])
        own = next((u for u in urls if u.qualifier is None), None)
        if iac_fn.url is None:
            for url in urls:
                alias = f" of alias {url.qualifier}" if url.qualifier else ""
                self._add(
                    Difference(
                        Kind.SHADOW,
                        fn.id,
                        f"Function URL{alias} (AuthType {url.auth_type}) of {fn.id} is deployed but the "
                        f"template describes no Function URL for {iac_fn.id}",
                        url.source,
                        self._iac(iac_fn.source),
                        Severity.HIGH if url.auth_type == "NONE" else None,
                        snippet=f"shadow url {fn.id} {url.qualifier or ''}",
                        extra={"what": "function-url", "auth_type": url.auth_type},
                    )
                )
            return
        if own is None:
            self._add(
                Difference(
                    Kind.MISSING,
                    iac_fn.id,
                    f"The Function URL of {iac_fn.id} is described in the template but {fn.id} has none "
                    "in the account",
                    fn.source,
                    self._iac(iac_fn.url.source),
                    snippet=f"missing url {iac_fn.id}",
                    extra={"what": "function-url"},
                )
            )
            return
        want = iac_fn.url.auth_type
        if isinstance(want, str) and want != own.auth_type:
            self._add(
                Difference(
                    Kind.AUTH,
                    fn.id,
                    f"Function URL of {fn.id} has AuthType {own.auth_type} but the template sets {want}",
                    own.source,
                    self._iac(iac_fn.url.loc("AuthType")),
                    Severity.HIGH if own.auth_type == "NONE" else Severity.LOW,
                    snippet=f"url auth {fn.id}",
                    extra={"what": "function-url", "template": want, "deployed": own.auth_type},
                )
            )

    def _invoke_permissions(self, dep: Deployment, iac_fn: Function, fn: Function) -> None:
        if f"function:{fn.id}:policy" in self.live.unread:
            return
        described = [p for p in dep.iac.permissions if p.function in (iac_fn.id, iac_fn.name)]
        if any(not isinstance(p.principal, str) or not isinstance(p.action, str) for p in described):
            return  # a permission the template does not resolve: cannot say which are described
        keys = {(_principal_key(str(p.principal)), str(p.action).lower()) for p in described}
        for perm in self.app.permissions:
            if perm.function != fn.id:
                continue
            if perm.function_url_auth_type is not None and iac_fn.url is not None:
                continue  # the URL's own permission: part of the described URL
            if perm.function_url_auth_type is not None and self.live.urls.get(fn.id):
                continue  # the permission of a shadow URL, already reported with it
            if (_principal_key(str(perm.principal)), str(perm.action).lower()) in keys:
                continue
            open_ = _open_permission(perm, self.live.account)
            self._add(
                Difference(
                    Kind.SHADOW,
                    perm.id,
                    f"Permission {perm.id} lets {_principal_words(perm)} call {perm.action} on {fn.id}, but "
                    f"no permission in the template grants it to {iac_fn.id}",
                    perm.source,
                    self._iac(iac_fn.source),
                    Severity.HIGH if open_ else None,
                    snippet=f"shadow permission {fn.id} {perm.principal} {perm.action}",
                    extra={"what": "permission", "principal": perm.principal, "action": perm.action},
                )
            )

    def _concurrency(self, iac_fn: Function, fn: Function) -> None:
        want, have = iac_fn.reserved_concurrency, fn.reserved_concurrency
        if not isinstance(want, int) or isinstance(have, Unknown) or want == have:
            return
        if have is None:
            words, severity = "has no reserved concurrency", Severity.MEDIUM
        elif have > want:
            words, severity = f"has reserved concurrency {have}", Severity.MEDIUM
        else:
            words, severity = f"has reserved concurrency {have}", Severity.LOW
        self._add(
            Difference(
                Kind.CONCURRENCY,
                fn.id,
                f"{fn.id} {words} but the template reserves {want}",
                fn.source,
                self._iac(iac_fn.loc("ReservedConcurrentExecutions")),
                severity,
                snippet=f"concurrency {fn.id}",
                extra={"template": want, "deployed": have},
            )
        )

    def _role(self, dep: Deployment, iac_fn: Function, fn: Function) -> None:
        iac_role, role = dep.iac.role(iac_fn.role), self.app.role(fn.role)
        if iac_role is None or role is None or f"role:{role.id}" in self.live.unread:
            return
        extra = _extra_managed(iac_role, role)
        if extra:
            self._add(
                Difference(
                    Kind.PERMISSIONS,
                    role.id,
                    f"Role {role.id} of {fn.id} has managed {_plural(len(extra), 'policy', 'policies')} "
                    f"{_names(extra)} attached that the template does not attach to {iac_role.id}",
                    role.source,
                    self._iac(iac_role.source),
                    Severity.HIGH,
                    snippet=f"managed {role.id} {' '.join(extra)}",
                    extra={"policies": extra},
                )
            )
        actions = _extra_actions(iac_role, role)
        if actions:
            self._add(
                Difference(
                    Kind.PERMISSIONS,
                    role.id,
                    f"Role {role.id} of {fn.id} grants {_names(actions)}, which the template's policies for "
                    f"{iac_role.id} do not",
                    role.source,
                    self._iac(iac_role.source),
                    Severity.HIGH,
                    snippet=f"actions {role.id} {' '.join(actions)}",
                    extra={"actions": actions},
                )
            )
        if isinstance(iac_role.boundary, str) and role.boundary is None:
            self._add(
                Difference(
                    Kind.PERMISSIONS,
                    role.id,
                    f"Role {role.id} of {fn.id} has no permissions boundary but the template sets one",
                    role.source,
                    self._iac(iac_role.loc("PermissionsBoundary")),
                    Severity.MEDIUM,
                    snippet=f"boundary {role.id}",
                )
            )

    # --- routes ----------------------------------------------------------------------------------

    def _routes(self, dep: Deployment, iac_api_id: str, api_id: str) -> None:
        if f"api:{api_id}:routes" in self.live.unread:
            return
        api = self.app.api(api_id)
        iac_api = dep.iac.api(iac_api_id)
        if api is None or iac_api is None:
            return
        ours = {(r.method, r.path): r for r in dep.iac.routes if r.api == iac_api_id and not r.preflight}
        theirs = {(r.method, r.path): r for r in self.app.routes if r.api == api_id and not r.preflight}
        name = f"API {_text(api.name)} ({api.id})"
        for key, route in sorted(theirs.items()):
            if key in ours:
                self._route_auth(name, api_id, ours[key], route)
                continue
            target = f" to {route.function}" if route.function else ""
            open_ = route.public is True and not route.auth.authenticates
            self._add(
                Difference(
                    Kind.SHADOW,
                    route.function or api_id,
                    f"Route {route.label}{target} on {name} is deployed with "
                    f"{_auth_words(route)} but the template does not describe it on {iac_api_id}",
                    route.source,
                    self._iac(iac_api.source),
                    Severity.HIGH if open_ else None,
                    snippet=f"shadow route {api_id} {route.label}",
                    extra={"what": "route", "route": route.label},
                )
            )
        for key, route in sorted(ours.items()):
            if key not in theirs:
                self._add(
                    Difference(
                        Kind.MISSING,
                        route.function or iac_api_id,
                        f"Route {route.label} is described in the template but {name} does not serve it",
                        api.source,
                        self._iac(route.source),
                        snippet=f"missing route {iac_api_id} {route.label}",
                        extra={"what": "route", "route": route.label},
                    )
                )

    def _route_auth(self, name: str, api_id: str, want: Route, have: Route) -> None:
        if want.auth.kind is AuthKind.UNKNOWN or have.auth.kind is AuthKind.UNKNOWN:
            return
        changes: list[str] = []
        weaker = False
        if want.auth.kind is not have.auth.kind:
            changes.append(f"{_auth_words(have)} instead of {_auth_words(want)}")
            weaker = want.auth.authenticates and not have.auth.authenticates
        elif (
            want.auth.authorizer
            and have.auth.authorizer
            and want.auth.authorizer != have.auth.authorizer
            and want.auth.authorizer in self.live.authorizers.get(api_id, set())
        ):
            changes.append(f"authorizer {have.auth.authorizer} instead of {want.auth.authorizer}")
        if want.auth.api_key_required and not have.auth.api_key_required:
            changes.append("no API key requirement")
            weaker = weaker or not have.auth.authenticates
        if not changes:
            return
        self._add(
            Difference(
                Kind.AUTH,
                have.function or api_id,
                f"Route {have.label} on {name} is deployed with {' and '.join(changes)}, unlike the template",
                have.source,
                self._iac(want.loc("Auth.Authorizer", "AuthorizationType", "Auth")),
                Severity.HIGH if weaker else None,
                snippet=f"route auth {api_id} {have.label}",
                extra={
                    "what": "route",
                    "route": have.label,
                    "template": {"auth": want.auth.kind.value, "authorizer": want.auth.authorizer},
                    "deployed": {"auth": have.auth.kind.value, "authorizer": have.auth.authorizer},
                },
            )
        )

    # --- buckets -----------------------------------------------------------------------------------

    def _bucket(self, iac: DataStore, live: DataStore) -> None:
        from faasguard.rules.sensitive_data import open_to_everyone

        def public(store: DataStore) -> bool:
            if store.policy is None:
                return False
            block = store.public_access_block or {}
            if block.get("BlockPublicPolicy") is True or block.get("RestrictPublicBuckets") is True:
                return False
            return any(open_to_everyone(st) for st in store.policy.statements)

        if f"bucket:{live.id}:policy" not in self.live.unread and public(live) and not public(iac):
            self._add(
                Difference(
                    Kind.PUBLIC,
                    live.id,
                    f"Bucket {live.id} is open to everyone through its bucket policy, unlike the template's "
                    f"{iac.id}",
                    live.source,
                    self._iac(iac.source),
                    snippet=f"public {live.id}",
                )
            )
        if f"bucket:{live.id}:public_access_block" in self.live.unread:
            return
        flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        want = iac.public_access_block
        have = live.public_access_block or {}
        off = [
            f
            for f in flags
            if (want is None or (want.get(f) is not False and not isinstance(want.get(f), Unknown)))
            and have.get(f) is not True
        ]
        if off:
            self._add(
                Difference(
                    Kind.PUBLIC,
                    live.id,
                    f"Bucket {live.id} has Block Public Access {', '.join(off)} off, unlike the template's "
                    f"{iac.id}",
                    live.source,
                    self._iac(
                        iac.loc(
                            "PublicAccessBlockConfiguration",
                            *(f"PublicAccessBlockConfiguration.{f}" for f in flags),
                        )
                    ),
                    Severity.MEDIUM,
                    snippet=f"block public access {live.id}",
                    extra={"flags": off},
                )
            )


# --- helpers ---------------------------------------------------------------------------------------


def _iac_ids(app: Application) -> set[tuple[str, str]]:
    ids = {("function", f.id) for f in app.functions}
    ids |= {("api", a.id) for a in app.apis}
    ids |= {("bucket", s.id) for s in app.stores if s.kind is StoreKind.S3}
    return ids


def _maps(deps: list[Deployment]) -> Iterable[dict[str, str]]:
    for d in deps:
        yield d.functions
        yield d.apis
        yield d.buckets


def _plain(value: object) -> str | None:
    return value if isinstance(value, str) and value and "${" not in value else None


def _text(value: object) -> str:
    return value if isinstance(value, str) and value else "?"


def _count(items: list[Route], word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _openly(routes: list[Route]) -> str:
    if not routes:
        return ""
    labels = [r.label for r in routes]
    shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
    return f" ({shown} without authentication)"


def _stack_words(stack: str | None) -> str:
    return f" (it belongs to stack {stack})" if stack else " (and no CloudFormation stack owns it)"


def _names(items: list[str]) -> str:
    if len(items) <= _SHOWN:
        return ", ".join(items)
    return ", ".join(items[:_SHOWN]) + f" and {len(items) - _SHOWN} more"


def _auth_words(route: Route) -> str:
    words = _AUTH_WORDS[route.auth.kind]
    if route.auth.authorizer and route.auth.kind in (AuthKind.LAMBDA, AuthKind.JWT, AuthKind.COGNITO):
        words += f" {route.auth.authorizer}"
    if route.auth.api_key_required:
        words += " and an API key"
    return words


def _principal_key(principal: str) -> str:
    """Account principals compare equal in their two spellings: '123456789012' and its root ARN."""
    p = principal.strip()
    if p.isdigit() and len(p) == 12:
        return f"account:{p}"
    parts = p.split(":")
    if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
        return f"account:{parts[4]}"
    return p.lower()


def _principal_words(perm: Permission) -> str:
    p = str(perm.principal)
    if p == "*":
        scoped = perm.source_arn or perm.source_account
        return "any principal" + (" (with a source condition)" if scoped else "")
    return p


def _open_permission(perm: Permission, account: str) -> bool:
    """Anyone, or another account, without a source condition."""
    if perm.source_arn or perm.source_account:
        return False
    key = _principal_key(str(perm.principal))
    if key == "*":
        return True
    return key.startswith("account:") and key != f"account:{account}"


def _extra_managed(iac_role: Role, role: Role) -> list[str]:
    want = [m.arn for m in iac_role.managed]
    if any(not isinstance(a, str) or "${" in a for a in want):
        return []
    have = [m.arn for m in role.managed if isinstance(m.arn, str)]
    return sorted({a.rsplit("/", 1)[-1] for a in have if a not in want})


def _extra_actions(iac_role: Role, role: Role) -> list[str]:
    """Actions the live role allows (its inline and customer managed policies) that no Allow
    statement of the template's role covers. Customer managed policies the template attaches by
    ARN are left out: the template cannot say what they grant."""
    patterns: list[str] = []
    for policy in iac_role.policies:
        if policy.unresolved:
            return []
        for st in policy.statements:
            if st.unresolved or st.not_actions:
                return []
            if st.effect != "Allow":
                continue
            for action in st.actions:
                if not isinstance(action, str):
                    return []
                patterns.append(action.lower())
    attached = {m.arn for m in iac_role.managed if isinstance(m.arn, str)}
    extra: set[str] = set()
    for policy in role.policies:
        if policy.origin == "managed" and policy.source.path in attached:
            continue
        for st in policy.statements:
            if st.effect != "Allow":
                continue
            for action in st.actions:
                if isinstance(action, str) and not any(
                    fnmatch.fnmatchcase(action.lower(), p) for p in patterns
                ):
                    extra.add(action)
    return sorted(extra, key=str.lower)
