"""The knowledge a language front gives the taint engine: sources, sinks, sanitisers, types.

Calls are looked up by a qualified name: an external function reached through imports
("os.system", "subprocess.run"), or a method of a tagged type ("t:requests.Session" +
".get" -> "requests.Session.get"; "boto3.client:s3" + ".get_object"). A method called on a
receiver of unknown type falls back to `methods` by its bare name, for names distinctive enough
(`get_object`, `execute_statement`, `download_file`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from faasguard.analysis.code import ir
from faasguard.analysis.code.values import V

# Sink families: one per injection rule, plus the code-level ones the engine also tracks.
COMMAND = "command"
CODE = "code"
DESERIALISE = "deserialisation"
SQL = "sql"
NOSQL = "nosql"
PATH = "path"
SSRF = "ssrf"
XSS = "xss"
XXE = "xxe"
PROTO = "prototype"  # prototype pollution (deep merges of parsed bodies)
LOG = "log"  # whole events written to logs
CORS = "cors"  # a request value reflected as the allowed origin
LEAK = "leak"  # exception text sent back to the caller
INJECTION_FAMILIES = (COMMAND, CODE, DESERIALISE, SQL, NOSQL, PATH, SSRF, XSS, XXE, PROTO)


class CallView(Protocol):
    """What a sink selector or a tag function may look at in one call."""

    call: ir.Call
    receiver: V | None
    flags: Mapping[str, bool]

    def arg(self, pos: int | None, name: str | None = None) -> V | None: ...

    def arg_expr(self, pos: int | None, name: str | None = None) -> ir.Expr | None: ...

    def const(self, pos: int | None, name: str | None = None) -> object: ...

    def all_args(self) -> list[V]: ...

    def value(self, expr: ir.Expr) -> V: ...


# A selector returns the values that reach the sink in this call (empty: no sink here).
Selector = Callable[[CallView], list[V]]


@dataclass(frozen=True, slots=True)
class Sink:
    family: str
    select: Selector
    label: str = ""  # how the message names the sink, e.g. "subprocess.run(shell=True)"
    confidence: str = "high"
    # Only data that can be a structured object (a field of a parsed JSON body) is dangerous
    # here: query documents, filter maps. A query-string value is always a string.
    structured: bool = False


@dataclass(frozen=True, slots=True)
class CallSpec:
    sinks: tuple[Sink, ...] = ()
    # A concrete source: the call's result is (source_kind, label) data.
    source: str | None = None
    source_kind: str = "second-order"
    # Families the result is sanitised for ("*": the result carries no data at all).
    sanitise: frozenset[str] = frozenset()
    # The type tag of the result, or a function of the call choosing it.
    returns: str | Callable[[CallView], str | None] | None = None
    # The result holds no data from the arguments (a predicate, a constructor of a client...).
    opaque: bool = False
    # Validate / guard-by-call: the argument at this position (or keyword) is clean afterwards.
    validates: tuple[int | None, str | None] | None = None
    # Calls a function argument: (position, keyword of the callback, what it receives:
    # "arg:N" the call's N-th argument, "records:N" the Records of the N-th argument, "elem:N"
    # an element of it, "recv" / "elem:recv" the receiver or its element, "exc" exception text,
    # "none"; several parameters separated by "|").
    callback: tuple[int | None, str | None, str] | None = None
    # What the call returns when it calls back: "value" the callback's return, "contained" a
    # container of them (map), "join" the receiver or the callback's return (catch).
    callback_result: str | None = None
    # Hands the event to an in-code router ("powertools", "wsgi", "asgi").
    router: str | None = None
    # A sanitiser that only holds when this predicate is true (jwt.decode with verification).
    sanitise_if: Callable[[CallView], bool] | None = None
    # Reads an attribute of the request as a source (ambient request objects).
    ambient: bool = False


@dataclass(frozen=True)
class Catalog:
    language: str
    calls: Mapping[str, CallSpec]
    methods: Mapping[str, CallSpec]  # fallback by bare method name on an untyped receiver
    # Accessor methods: name -> (segments appended to the receiver's path, position/keyword
    # of the key argument or None).
    accessors: Mapping[str, tuple[tuple[str, ...], tuple[int, str] | None]]
    # Attributes of typed objects that are the ambient request: (type tag, attribute).
    ambient_attrs: frozenset[tuple[str, str]]
    # Qualified names that are themselves the ambient request (flask.request).
    ambient_names: frozenset[str]
    # Methods that return no program data whatever the receiver holds (isdigit, startswith...).
    opaque_methods: frozenset[str]
    # Guard predicates: a call or method whose truth means its argument / receiver is clean
    # ("*" families) or clean for some families.
    guard_methods: Mapping[str, frozenset[str]]
    guard_calls: Mapping[str, frozenset[str]]
    # Builtin names (resolved when no import or definition shadows them).
    builtins: frozenset[str]
    # Checks on a container literal (proxy responses, Mongo $where): returns
    # (family, label, line, value) sink hits.
    on_dict: Callable[[ir.Coll, list[V], list[V]], list[tuple[str, str, int, V]]] | None = None
    # Checks on a store into a constant key (resp.headers["Access-Control-Allow-Origin"] = v).
    on_key_store: Callable[[str, V, int], list[tuple[str, str, int, V]]] | None = None
    # Types whose instances hold validated data (pydantic.BaseModel...).
    validated_bases: frozenset[str] = frozenset()
    # Exception constructors whose message is sent to the caller (HTTP errors of frameworks).
    http_errors: frozenset[str] = frozenset()
    # Methods of (string) values that sanitise their receiver for some families, depending on
    # their arguments: `key.replace("/", "")`, `name.split("/")`.
    method_sanitisers: Mapping[str, Callable[[CallView], frozenset[str]]] = field(default_factory=dict)
    # Exception types whose text may carry internals when sent to a caller (short names).
    broad_exceptions: frozenset[str] = frozenset()
    # The type of a typed object's attributes and items (a Mongo client's databases...).
    type_members: Mapping[str, str] = field(default_factory=dict)
    # Methods whose truth means their first argument is clean, when the receiver holds no
    # caller data (a constant pattern's `test(x)`).
    guard_arg_methods: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Call function arguments of calls the catalog does not describe (closures passed to
    # unknown APIs still run: callbacks, event listeners, promise executors).
    run_callbacks: bool = False
    extra: Mapping[str, object] = field(default_factory=dict)
