"""Deployed routes against the documented API: which routes the OpenAPI / Swagger spec misses.

Two kinds of spec are compared with an application's APIs:

- the API's own definition (SAM `DefinitionBody` / `DefinitionUri` / `AWS::Include`, a
  RestApi `Body`, Terraform `body`). The loaders already turn it into routes, each marked with
  the operation that documents it (the route's `Definition` property), so only the routes added
  *beside* it (SAM events merged with `MergeDefinitions`, Terraform `aws_api_gateway_method`
  next to a `body`) can disagree with it;
- documentation specs: YAML / JSON files in the application's folder whose top level has
  `openapi:` or `swagger:`, paired with an API by reference, custom-domain host, title, or by
  being the only spec beside the only API.

Paths compare by shape: parameter names don't count (`/users/{id}` = `/users/{userId}` =
`/users/:id`), trailing slashes don't either, and a spec's base path (`basePath`, the path of a
`servers` URL) may or may not be part of the deployed paths. A greedy parameter (`{proxy+}`) or
an HTTP API `$default` route covers every path under it. OPTIONS routes are CORS preflight
unless the spec documents OPTIONS for that path.

The result is a list of `Drift` facts; the FG-SHADOW-004..007 rules turn them into findings.
Specs that cannot be read are `errors`; specs paired with no API are `unpaired` (not compared).
"""

from __future__ import annotations

import os
import re
import stat
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from faasguard.findings import ScanError
from faasguard.limits import DEFAULT_LIMITS, Limits
from faasguard.loaders.openapi import DEFINITION  # the property marking routes of a definition
from faasguard.model import Api, ApiKind, Application, AuthKind, Route, SourceRef

if TYPE_CHECKING:
    import pathspec

    from faasguard.analysis.facts import Facts


_SPEC_METHODS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "options": "OPTIONS",
    "head": "HEAD",
    "patch": "PATCH",
    "trace": "TRACE",
    "x-amazon-apigateway-any-method": "ANY",
}
# A path item that is a `$ref` to another file: the path is documented, its methods are unknown.
UNKNOWN_METHODS = "*"

# Auth levels, weakest first: what a caller must present.
NONE, API_KEY, AUTH = 0, 1, 2

_SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_HEAD_BYTES = 64 * 1024
_YAML_MARK = re.compile(rb"""(?m)^["']?(?:openapi|swagger)["']?[ \t]*:""")
_JSON_MARK = re.compile(rb""""(?:openapi|swagger)"\s*:\s*"?\d""")
# Files whose presence makes a folder an application of its own (specs below it are its own).
_APP_MARKERS = frozenset(
    {
        "template.yaml",
        "template.yml",
        "template.json",
        "serverless.yml",
        "serverless.yaml",
        "serverless.json",
        "serverless.ts",
        "serverless.js",
        "samconfig.toml",
        "cdk.json",
    }
)
_SKIP_DIRS_EXTRA = frozenset({"cdk.out"})
# JSON/YAML files that are never API specs (and lock files are the largest around).
_NOT_SPECS = frozenset(
    {
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "pnpm-lock.yaml",
        "composer.json",
        "composer.lock",
        "cdk.json",
        "cdk.context.json",
        "tsconfig.json",
    }
)


# --- path shapes ---------------------------------------------------------------------------------

_PARAM = re.compile(r"\{[^{}/]*\}")
_GREEDY_SEGMENT = re.compile(r"\{[^{}/]*\+\}")
GREEDY = "{+}"


def shape(path: str) -> str:
    """A path with parameter names erased: `/users/{id}/` and `/users/:userId` -> `/users/{}`;
    greedy parameters become `{+}`; `$default` stays itself."""
    text = path.strip()
    if text.lstrip("/") == "$default":  # HTTP API exports write the default route as /$default
        return "$default"
    segments = []
    for seg in text.split("/"):
        if not seg:
            continue
        if _GREEDY_SEGMENT.fullmatch(seg):
            segments.append(GREEDY)
        elif seg.startswith(":") and len(seg) > 1:  # Express-style parameter in code routes
            segments.append("{}")
        else:
            segments.append(_PARAM.sub("{}", seg))
    return "/" + "/".join(segments)


def greedy_prefix(path_shape: str) -> str | None:
    """For a catch-all shape, the prefix it covers ("" for everything); None for others."""
    if path_shape == "$default":
        return ""
    if path_shape.endswith("/" + GREEDY):
        return path_shape[: -len(GREEDY) - 1]
    return None


def covers(prefix: str, path_shape: str) -> bool:
    """True when a catch-all under `prefix` serves `path_shape` ({proxy+} needs one segment)."""
    if path_shape == "$default":
        return False
    return path_shape.startswith(prefix + "/") and len(path_shape) > len(prefix) + 1


def join_base(base: str, path: str) -> str:
    return "/" + "/".join(s for s in (base + "/" + path).split("/") if s)


# --- specs ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpecOp:
    method: str  # GET ... ANY, or UNKNOWN_METHODS for a `$ref` path item
    path: str  # as the spec writes it (without base path)
    source: SourceRef  # the method key (or the path key for a `$ref` item)
    auth: int | None = None  # NONE | API_KEY | AUTH; None when the spec says nothing about auth
    schemes: tuple[str, ...] = ()  # the security scheme names that set `auth`
    route: Route | None = None  # for an API's own definition: the route it became


@dataclass(frozen=True, slots=True)
class Spec:
    path: str  # relative to the scan root
    source: SourceRef  # the `openapi:` / `swagger:` key
    ops: tuple[SpecOp, ...]
    title: str | None = None
    hosts: tuple[str, ...] = ()
    base_paths: tuple[str, ...] = ()  # besides "", the base paths its servers / basePath give
    inline: bool = False  # the API's definition written inside the template


@dataclass(frozen=True, slots=True)
class Drift:
    """One disagreement between a deployed API and a spec."""

    kind: str  # "shadow" | "zombie" | "method" | "auth"
    api: Api
    spec: Spec
    pairing: str  # "reference" | "server-url" | "title" | "only-spec"
    source: SourceRef
    route: Route | None = None  # the deployed route (shadow, method on the deployed side, auth)
    op: SpecOp | None = None  # the spec operation (zombie, method on the spec side, auth)
    documented_methods: tuple[str, ...] = ()  # method: what the spec has for the path shape
    deployed_methods: tuple[str, ...] = ()  # method: what the API has for the path shape
    covered: tuple[str, ...] = ()  # shadow catch-all: documented routes only it serves
    deployed_auth: int | None = None
    by_definition: bool = False  # shadow: the route sits beside the API's own definition
    spec_side: bool = False  # method: a documented method not deployed (else a deployed one not documented)


@dataclass(frozen=True, slots=True)
class SpecComparison:
    drifts: tuple[Drift, ...] = ()
    pairs: tuple[tuple[str, str, str], ...] = ()  # (api id, spec path, pairing)
    unpaired: tuple[tuple[str, str], ...] = ()  # (spec path, why it was not compared)
    errors: tuple[ScanError, ...] = ()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _line(node: object, key: str, default: int) -> int:
    lines = getattr(node, "key_lines", None)
    if isinstance(lines, dict):
        line = lines.get(key)
        if isinstance(line, int) and line > 0:
            return line
    return default


def _scheme_level(scheme: object) -> int:
    if not isinstance(scheme, Mapping):
        return AUTH  # named but not defined: a credential of some kind
    if "x-amazon-apigateway-authtype" in scheme or "x-amazon-apigateway-authorizer" in scheme:
        return AUTH
    if str(scheme.get("type", "")).lower() == "apikey":
        # An `apiKey` header named anything but x-api-key carries a token (`Authorization`).
        return API_KEY if str(scheme.get("name", "")).lower() == "x-api-key" else AUTH
    return AUTH


def _requirement_level(security: object, schemes: Mapping[str, object]) -> tuple[int, tuple[str, ...]] | None:
    """The weakest alternative a `security` list accepts, with the scheme names; None: not a list."""
    if not isinstance(security, list):
        return None
    best: tuple[int, tuple[str, ...]] | None = None
    if not security:
        return NONE, ()
    for requirement in security:
        if not isinstance(requirement, Mapping):
            return None  # not a security requirement: say nothing
        if not requirement:
            return NONE, ()  # `{}` makes authentication optional
        names = tuple(str(n) for n in requirement)
        level = max(_scheme_level(schemes.get(n)) for n in names)
        if best is None or level < best[0]:
            best = (level, names)
    return best


def _schemes(doc: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    holders: list[object] = [doc.get("securityDefinitions")]
    components = doc.get("components")
    if isinstance(components, Mapping):
        holders.append(components.get("securitySchemes"))
    for holder in holders:
        if isinstance(holder, Mapping):
            out.update({str(k): v for k, v in holder.items()})
    return out


def _servers(doc: Mapping[str, object]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(hosts, base paths) from Swagger `host`/`basePath` or OpenAPI `servers`."""
    hosts: list[str] = []
    bases: list[str] = []
    host = _text(doc.get("host"))
    if host:
        hosts.append(host.split(":")[0].lower())
    base = _text(doc.get("basePath"))
    if base:
        bases.append(base)
    servers = doc.get("servers")
    for server in servers if isinstance(servers, list) else []:
        if not isinstance(server, Mapping):
            continue
        url = _text(server.get("url"))
        if not url:
            continue
        variables = server.get("variables")
        for name, var in variables.items() if isinstance(variables, Mapping) else []:
            default = var.get("default") if isinstance(var, Mapping) else None
            url = url.replace("{" + str(name) + "}", str(default) if default is not None else "")
        try:
            parts = urlsplit(url if "://" in url or url.startswith("/") else "//" + url)
        except ValueError:
            continue
        if parts.hostname:
            hosts.append(parts.hostname.lower())
        if parts.path:
            bases.append(parts.path)
    clean = []
    for b in bases:
        norm = join_base("", b)
        if norm != "/" and norm not in clean:
            clean.append(norm)
    return tuple(dict.fromkeys(hosts)), tuple(clean)


def spec_from_document(doc: object, rel: str) -> Spec | None:
    """A documentation spec from a parsed YAML/JSON document; None when it is not one."""
    if not isinstance(doc, Mapping):
        return None
    key = "openapi" if "openapi" in doc else "swagger" if "swagger" in doc else None
    paths = doc.get("paths")
    if key is None or not isinstance(paths, Mapping):
        return None
    schemes = _schemes(doc)
    declares = bool(schemes) or "security" in doc
    root_auth = _requirement_level(doc.get("security"), schemes)
    ops: list[SpecOp] = []
    for raw_path, item in paths.items():
        path = str(raw_path)
        path_line = _line(paths, path, getattr(paths, "line", 1))
        if not isinstance(item, Mapping):
            continue
        if "$ref" in item and not any(k in _SPEC_METHODS for k in item):
            ops.append(SpecOp(UNKNOWN_METHODS, path, SourceRef(rel, path_line, path_line)))
            continue
        for method_key, op in item.items():
            method = _SPEC_METHODS.get(str(method_key).lower())
            if method is None:
                continue
            line = _line(item, str(method_key), path_line)
            auth: tuple[int, tuple[str, ...]] | None = None
            if isinstance(op, Mapping) and "security" in op:
                auth = _requirement_level(op.get("security"), schemes)
                declares = True
            if auth is None:
                auth = root_auth
            ops.append(
                SpecOp(
                    method,
                    path,
                    SourceRef(rel, line, line),
                    auth[0] if auth is not None else None,
                    auth[1] if auth is not None else (),
                )
            )
    if declares:  # a spec that speaks of security means "public" where it names none
        ops = [op if op.auth is not None else _with_auth(op, NONE) for op in ops]
    info = doc.get("info")
    title = _text(info.get("title")) if isinstance(info, Mapping) else None
    hosts, bases = _servers(doc)
    line = _line(doc, key, getattr(doc, "line", 1))
    return Spec(rel, SourceRef(rel, line, line), tuple(ops), title, hosts, bases)


def _with_auth(op: SpecOp, level: int) -> SpecOp:
    return SpecOp(op.method, op.path, op.source, level, op.schemes, op.route)


def route_level(route: Route) -> int | None:
    """What a caller must present to the deployed route; None when it is not known."""
    if route.auth.kind is AuthKind.UNKNOWN:
        return None
    if route.auth.authenticates:
        return AUTH
    return API_KEY if route.auth.api_key_required else NONE


# --- finding spec files --------------------------------------------------------------------------


@dataclass
class _Index:
    """Every file under the scan root that looks like an OpenAPI / Swagger document, parsed once."""

    root: Path
    limits: Limits
    exclude: tuple[str, ...] = ()
    walked: bool = False
    candidates: list[str] = field(default_factory=list)  # rel paths, sorted
    markers: set[str] = field(default_factory=set)  # folders (rel, "" = root) holding app files
    parsed: dict[str, Spec | None] = field(default_factory=dict)
    errors: dict[str, ScanError] = field(default_factory=dict)

    def walk(self) -> None:
        if self.walked:
            return
        self.walked = True
        from faasguard.loaders.discover import SKIP_DIRS

        skip = SKIP_DIRS | _SKIP_DIRS_EXTRA
        excluded = self._exclusion()
        stack = [""]
        seen = 0
        while stack:
            rel_dir = stack.pop()
            try:
                entries = sorted(os.scandir(self.root / rel_dir), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                seen += 1
                if seen > self.limits.max_files:
                    return  # discovery reports the bound; specs past it are not looked for
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                if excluded is not None and excluded.match_file(rel):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name == ".chalice":
                            self.markers.add(rel_dir)
                        elif entry.name not in skip:
                            stack.append(rel)
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                low = entry.name.lower()
                if low in _APP_MARKERS or low.endswith((".tf", ".tf.json", ".template.json")):
                    self.markers.add(rel_dir)
                if low.endswith(_SPEC_SUFFIXES) and low not in _NOT_SPECS and self._looks_like_spec(rel, low):
                    self.candidates.append(rel)
        self.candidates.sort()

    def _exclusion(self) -> pathspec.GitIgnoreSpec | None:
        patterns = [p.strip().replace("\\", "/").removeprefix("./") for p in self.exclude if p.strip()]
        if not patterns:
            return None
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(patterns)

    def _looks_like_spec(self, rel: str, low: str) -> bool:
        try:
            fd = os.open(self.root / rel, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    return False
                head = fh.read(_HEAD_BYTES)
        except OSError:
            return False
        mark = _JSON_MARK if low.endswith(".json") else _YAML_MARK
        return mark.search(head) is not None

    def spec(self, rel: str) -> Spec | None:
        if rel not in self.parsed:
            self.parsed[rel] = self._parse(rel)
        return self.parsed[rel]

    def _parse(self, rel: str) -> Spec | None:
        from faasguard.loaders.reader import ReadFailure, load_structured

        try:
            doc = load_structured(self.root / rel, self.root, self.limits)
        except ReadFailure as exc:
            self.errors[rel] = ScanError(rel, exc.line, f"OpenAPI document not read: {exc.message}", exc.kind)
            return None
        return spec_from_document(doc, rel)

    def specs_of(self, app_root: str) -> list[str]:
        """Spec files in the application's folder, leaving out those of applications below it."""
        self.walk()
        base = "" if app_root in (".", "") else app_root.rstrip("/")
        out = []
        for rel in self.candidates:
            folder = rel.rpartition("/")[0]
            if base and not (folder == base or folder.startswith(base + "/")):
                continue
            # Another application's folder between the app root and the spec claims the spec.
            between = folder
            owned = True
            while between != base:
                if between in self.markers:
                    owned = False
                    break
                between = between.rpartition("/")[0]
            if owned:
                out.append(rel)
        return out


_INDEXES: weakref.WeakKeyDictionary[Facts, _Index] = weakref.WeakKeyDictionary()


def _index(facts: Facts) -> _Index:
    index = _INDEXES.get(facts)
    if index is None:
        options = facts.options
        index = _Index(
            facts.root,
            options.limits if options is not None else DEFAULT_LIMITS,
            tuple(options.exclude) if options is not None else (),
        )
        _INDEXES[facts] = index
    return index


# --- comparing -----------------------------------------------------------------------------------


def compare_specs(facts: Facts, app: Application) -> SpecComparison:
    """The drifts between the application's APIs and its specs (computed once per application)."""
    index = _index(facts)
    result = facts.get("api_spec", app, lambda a, _root: _compare(a, index))
    for error in result.errors:
        facts.error(error)
    for path, why in result.unpaired:
        spec = index.parsed.get(path)
        line = spec.source.line if spec is not None else None
        facts.note(
            ScanError(path, line, f"OpenAPI document not compared with the deployed routes: {why}", "note")
        )
    return result


def _compare(app: Application, index: _Index) -> SpecComparison:
    apis = [a for a in app.apis if a.kind is not ApiKind.WEBSOCKET]
    if not apis:
        return SpecComparison()
    routes: dict[str, list[Route]] = {}
    for r in app.routes:
        routes.setdefault(r.api, []).append(r)
    drifts: list[Drift] = []
    pairs: list[tuple[str, str, str]] = []
    reported: set[tuple[int, str]] = set()
    referenced: set[str] = set()
    # 1. Each API against its own definition: only routes added beside it can disagree.
    for api in apis:
        own = [r for r in routes.get(api.id, ()) if DEFINITION in r.props]
        if isinstance(api.spec, str) and api.spec != "inline":
            referenced.add(api.spec)
        if not own:
            continue
        spec = _definition_spec(api, own)
        pairs.append((api.id, spec.path, "reference"))
        others = [r for r in routes.get(api.id, ()) if DEFINITION not in r.props]
        for drift in _drifts(api, spec, "reference", others, zombies=False):
            drifts.append(drift)
            if drift.route is not None:
                reported.add((id(drift.route), drift.kind))
    # 2. Documentation specs in the application's folder, paired with one API each.
    doc_paths = [p for p in index.specs_of(app.root) if p not in referenced]
    specs = [s for s in (index.spec(p) for p in doc_paths) if s is not None and s.ops]
    errors = tuple(index.errors[p] for p in doc_paths if p in index.errors)
    if not specs:
        return SpecComparison(tuple(drifts), tuple(pairs), (), errors)
    served = [a for a in apis if any(not r.preflight for r in routes.get(a.id, ()))]
    matched, unpaired = _pair(specs, served, routes)
    for spec, api, how in matched:
        pairs.append((api.id, spec.path, how))
        for drift in _drifts(api, spec, how, routes.get(api.id, []), zombies=True):
            if drift.route is not None and (id(drift.route), drift.kind) in reported:
                continue  # already reported against the API's own definition
            drifts.append(drift)
    return SpecComparison(tuple(drifts), tuple(pairs), tuple(unpaired), errors)


def _definition_spec(api: Api, own: list[Route]) -> Spec:
    first = own[0].props[DEFINITION]
    ops = tuple(
        SpecOp(r.method, r.path, r.props[DEFINITION], route_level(r), (), r)
        for r in sorted(own, key=lambda r: (r.props[DEFINITION].line, r.method))
    )
    inline = not (isinstance(api.spec, str) and api.spec not in ("inline", ""))
    return Spec(first.path, first, ops, inline=inline)


def _norm_name(value: object) -> str:
    text = value.lower() if isinstance(value, str) else ""
    text = re.sub(r"[^a-z0-9]+", "", text)
    return text.removesuffix("api") or text


def _pair(
    specs: list[Spec], apis: list[Api], routes: Mapping[str, list[Route]]
) -> tuple[list[tuple[Spec, Api, str]], list[tuple[str, str]]]:
    """Pair documentation specs with APIs: by custom-domain host, then title / API name, then by
    being the only spec beside the only API. A pair must share at least one path with the API."""
    left_specs = list(specs)
    left_apis = list(apis)
    out: list[tuple[Spec, Api, str]] = []
    unpaired: list[tuple[str, str]] = []

    def take(how: str, key_spec: Iterable[str], key_api: Mapping[str, list[Api]], spec: Spec) -> bool:
        found = {a.id: a for k in key_spec for a in key_api.get(k, ()) if a in left_apis}
        if len(found) != 1:
            return False
        api = next(iter(found.values()))
        if not _overlap(spec, routes.get(api.id, [])):
            unpaired.append((spec.path, f"its {how} names API {api.id}, which serves none of its paths"))
            left_specs.remove(spec)
            return True
        out.append((spec, api, how))
        left_specs.remove(spec)
        left_apis.remove(api)
        return True

    by_host: dict[str, list[Api]] = {}
    by_name: dict[str, list[Api]] = {}
    for api in apis:
        for domain in api.domains:
            if isinstance(domain.name, str):
                by_host.setdefault(domain.name.lower(), []).append(api)
        for name in {_norm_name(api.name), _norm_name(api.id)} - {""}:
            by_name.setdefault(name, []).append(api)
    for spec in list(left_specs):
        if not take("server-url", spec.hosts, by_host, spec):
            title = _norm_name(spec.title)
            if title:
                take("title", (title,), by_name, spec)
    if len(left_specs) == 1 and len(left_apis) == 1:
        spec, api = left_specs[0], left_apis[0]
        if _overlap(spec, routes.get(api.id, [])):
            out.append((spec, api, "only-spec"))
        else:
            unpaired.append((spec.path, f"API {api.id} serves none of its paths"))
        left_specs.clear()
    for spec in left_specs:
        reason = (
            "no API route in the application" if not apis else "several APIs and no reference, host or title"
        )
        unpaired.append((spec.path, reason))
    return out, unpaired


@dataclass
class _Shapes:
    """A spec's operations by path shape, with and without its base paths."""

    methods: dict[str, dict[str, SpecOp]] = field(default_factory=dict)
    greedy: list[tuple[str, SpecOp]] = field(default_factory=list)

    @classmethod
    def of(cls, spec: Spec) -> _Shapes:
        out = cls()
        for op in spec.ops:
            for variant in _variants(spec, op.path):
                out.methods.setdefault(variant, {}).setdefault(op.method, op)
                prefix = greedy_prefix(variant)
                if prefix is not None:
                    out.greedy.append((prefix, op))
        return out

    def covering(self, path_shape: str) -> SpecOp | None:
        for prefix, op in self.greedy:
            if covers(prefix, path_shape):
                return op
        return None


def _variants(spec: Spec, path: str) -> list[str]:
    own = shape(path)
    if own == "$default":
        return [own]
    return [own, *(shape(join_base(b, path)) for b in spec.base_paths)]


def _overlap(spec: Spec, api_routes: list[Route]) -> bool:
    """True when the API serves at least one documented path (a catch-all on either side counts)."""
    shapes = _Shapes.of(spec)
    for route in api_routes:
        if route.preflight:
            continue
        route_shape = shape(route.path)
        if route_shape in shapes.methods or shapes.covering(route_shape) is not None:
            return True
        prefix = greedy_prefix(route_shape)
        if prefix is not None and any(covers(prefix, s) for s in shapes.methods):
            return True
    return False


def _accepts(methods: Mapping[str, SpecOp], method: str) -> SpecOp | None:
    return methods.get(method) or methods.get("ANY") or methods.get(UNKNOWN_METHODS)


def _drifts(api: Api, spec: Spec, pairing: str, api_routes: list[Route], zombies: bool) -> Iterator[Drift]:
    documented = _Shapes.of(spec)
    deployed: dict[str, dict[str, Route]] = {}
    deployed_greedy: list[tuple[str, Route]] = []
    considered: list[Route] = []
    for route in api_routes:
        route_shape = shape(route.path)
        if route.method == "OPTIONS" and "OPTIONS" not in documented.methods.get(route_shape, {}):
            continue  # CORS preflight, unless the spec documents OPTIONS there
        considered.append(route)
        deployed.setdefault(route_shape, {}).setdefault(route.method, route)
        prefix = greedy_prefix(route_shape)
        if prefix is not None:
            deployed_greedy.append((prefix, route))
    by_definition = pairing == "reference"
    # Deployed side: routes the spec does not document.
    for route in considered:
        route_shape = shape(route.path)
        methods = documented.methods.get(route_shape)
        if methods is None:
            if documented.covering(route_shape) is not None:
                continue  # the spec documents a catch-all over it
            covered = _covered_ops(spec, documented, route_shape, deployed) if zombies else ()
            yield Drift(
                "shadow",
                api,
                spec,
                pairing,
                route.loc("RouteKey", "Path", "HttpMethod"),
                route=route,
                covered=covered,
                by_definition=by_definition,
            )
            continue
        op = _accepts(methods, route.method)
        if op is None:  # also a deployed ANY where the spec lists single methods
            yield Drift(
                "method",
                api,
                spec,
                pairing,
                route.loc("Method", "HttpMethod", "RouteKey", "Path"),
                route=route,
                op=next(iter(methods.values())),
                documented_methods=_sorted_methods(methods),
                deployed_methods=_sorted_methods(deployed[route_shape]),
                by_definition=by_definition,
            )
            continue
        if zombies and op.method != UNKNOWN_METHODS:
            drift = _auth_drift(api, spec, pairing, route, op)
            if drift is not None:
                yield drift
    if not zombies:
        return
    # Spec side: documented operations nothing deploys.
    for op in spec.ops:
        if op.method in ("OPTIONS", UNKNOWN_METHODS):
            continue  # preflight is often implicit (CORS settings); `$ref` items have no methods
        variants = _variants(spec, op.path)
        hit = [deployed[v] for v in variants if v in deployed]
        if any(_route_for(m, op.method) is not None for m in hit):
            continue
        if any(covers(prefix, v) for prefix, _ in deployed_greedy for v in variants):
            continue  # served only by a catch-all: said in the catch-all's shadow finding
        if _partly_served(op.method, variants, deployed):
            continue  # a documented catch-all whose subtree the API serves route by route
        if hit:
            yield Drift(
                "method",
                api,
                spec,
                pairing,
                op.source,
                op=op,
                route=next(iter(hit[0].values())),
                documented_methods=_sorted_methods(documented.methods.get(variants[0], {})),
                deployed_methods=_sorted_methods(hit[0]),
                spec_side=True,
            )
            continue
        yield Drift("zombie", api, spec, pairing, op.source, op=op)


def _partly_served(method: str, variants: list[str], deployed: Mapping[str, Mapping[str, Route]]) -> bool:
    for variant in variants:
        prefix = greedy_prefix(variant)
        if prefix is None:
            continue
        for route_shape, methods in deployed.items():
            if covers(prefix, route_shape) and (method == "ANY" or _route_for(methods, method) is not None):
                return True
    return False


def _route_for(methods: Mapping[str, Route], method: str) -> Route | None:
    return methods.get(method) or methods.get("ANY")


def _covered_ops(
    spec: Spec, documented: _Shapes, route_shape: str, deployed: Mapping[str, Mapping[str, Route]]
) -> tuple[str, ...]:
    """Documented operations that an undocumented catch-all route is the only one to serve."""
    prefix = greedy_prefix(route_shape)
    if prefix is None:
        return ()
    out = []
    for op in spec.ops:
        if op.method in ("OPTIONS", UNKNOWN_METHODS):
            continue
        variants = _variants(spec, op.path)
        if any(_route_for(deployed.get(v, {}), op.method) is not None for v in variants):
            continue
        if any(covers(prefix, v) for v in variants):
            out.append(f"{op.method} {op.path}")
    return tuple(out)


def _auth_drift(api: Api, spec: Spec, pairing: str, route: Route, op: SpecOp) -> Drift | None:
    documented = op.auth
    deployed = route_level(route)
    if documented is None or deployed is None or documented == deployed:
        return None
    if deployed > documented and documented != NONE:
        return None  # stronger than documented beyond "public": not worth a finding
    where = route.loc(
        "Auth.Authorizer", "Auth.ApiKeyRequired", "AuthorizationType", "Authorizer", "RouteKey", "Path"
    )
    return Drift("auth", api, spec, pairing, where, route=route, op=op, deployed_auth=deployed)


_METHOD_ORDER = ("ANY", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", UNKNOWN_METHODS)


def _sorted_methods(methods: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        sorted(set(methods), key=lambda m: (_METHOD_ORDER.index(m) if m in _METHOD_ORDER else 99, m))
    )
