"""install(): compile the policy, seal the hook's code and register it (once per process)."""

from __future__ import annotations

import _socket
import builtins
import json
import os
import socket
import sys
import threading
import time
import types
from collections.abc import Mapping

from . import _events, _hook
from ._errors import ShieldViolation
from ._policy import Policy
from ._rules import compile_policy

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any

_LOCK = threading.Lock()


def install(policy: Policy | Mapping[str, Any] | None = None) -> Policy:
    """Register the shield's audit hook for this process, checking every guarded operation against ``policy``.

    ``policy`` is a :class:`Policy` or its dict form; without one it is read from the
    ``FAASGUARD_SHIELD_*`` environment variables (see :meth:`Policy.from_env`). Call it at import
    time, at the top of the handler module. It is idempotent: installing the same policy again does
    nothing. Audit hooks cannot be removed, so an installed policy cannot be changed either: asking
    for a different one raises :class:`ShieldViolation` (and is reported as a ``tamper`` event).
    Returns the policy in force.
    """
    wanted = Policy.coerce(policy) if policy is not None else Policy.from_env()
    with _LOCK:
        current = current_policy()
        if current is not None:
            if current == wanted:
                return current
            sys.audit("faasguard_shield.reinstall")
            raise ShieldViolation(
                "faasguard shield is already installed with a different policy; an installed policy "
                "cannot be changed",
                "tamper",
                {"op": "install"},
            )
        _register(wanted)
    _events.emit("installed", None, None, {"modes": wanted.modes(), "version": _version()})
    return wanted


def current_policy() -> Policy | None:
    """The policy installed in this process, as the hook itself reports it; None before :func:`install`."""
    box: list[Any] = []
    sys.audit("faasguard_shield.probe", box)
    for item in box:
        if isinstance(item, str):
            return Policy.from_dict(json.loads(item))
    return None


def _version() -> str:
    from . import __version__

    return __version__


def seal(module: types.ModuleType) -> dict[str, Any]:
    """Copies of ``module``'s functions bound to a private namespace and a private ``builtins``."""
    namespace: dict[str, Any] = {"__builtins__": dict(vars(builtins)), "__name__": module.__name__}
    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        if isinstance(value, types.ModuleType):
            raise RuntimeError(f"{module.__name__}.{name} is a module: the hook must bind names, not modules")
        namespace[name] = value
    for name, value in list(namespace.items()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            if value.__closure__:
                raise RuntimeError(f"{module.__name__}.{name} is a closure")
            namespace[name] = types.FunctionType(
                value.__code__, namespace, value.__name__, value.__defaults__, None
            )
    return namespace


def closed(
    function: Any, name: str, defaults: tuple[Any, ...] | None, kwdefaults: dict[str, Any] | None
) -> Any:
    """A copy of a function that loads no global names, with an empty namespace of its own."""
    code = function.__code__.replace(co_name=name)
    if hasattr(code, "co_qualname"):  # Python 3.11+
        code = code.replace(co_qualname=name)
    copy = types.FunctionType(code, {"__builtins__": {}}, name, defaults, None)
    if kwdefaults is not None:
        copy.__kwdefaults__ = kwdefaults
    copy.__qualname__ = name
    return copy


def _convert_addrinfo(raw: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """What socket.getaddrinfo returns on top of _socket.getaddrinfo: enum members."""
    out = []
    for family, kind, proto, canonname, sockaddr in raw:
        out.append(
            (_enum(family, socket.AddressFamily), _enum(kind, socket.SocketKind), proto, canonname, sockaddr)
        )
    return out


def _enum(value: Any, enum_class: Any) -> Any:
    try:
        return enum_class(value)
    except ValueError:
        return value


def _register(policy: Policy) -> None:
    compiled = compile_policy(policy)
    sealed = seal(_hook)
    modes = compiled.modes
    resolved: dict[str, tuple[str, ...]] = {}
    record = types.FunctionType(sealed["_record"].__code__, sealed, "_record", (resolved, 4096), None)

    wrappers: dict[str, Any] = {}
    if modes[_hook.NETWORK]:
        base = BaseException
        wrappers["getaddrinfo"] = closed(
            _hook._gai,
            "getaddrinfo",
            (0, 0, 0, 0),
            {"_k": (_socket.getaddrinfo, record, base, _convert_addrinfo)},
        )
        wrappers["gethostbyname"] = closed(
            _hook._ghbn, "gethostbyname", None, {"_k": (_socket.gethostbyname, record, base, 1)}
        )
        wrappers["gethostbyname_ex"] = closed(
            _hook._ghbn, "gethostbyname_ex", None, {"_k": (_socket.gethostbyname_ex, record, base, 2)}
        )
        for name, wrapper in wrappers.items():
            original = getattr(socket, name)
            wrapper.__doc__ = original.__doc__
            wrapper.__module__ = "socket"

    entry = closed(_hook._entry, "faasguard_shield_audit_hook", None, None)
    protected = frozenset(id(f) for f in (entry, record, *wrappers.values()))

    names, ips, unix = compiled.network
    read, write, deny = compiled.files
    deny_by_first: dict[str, tuple[tuple[str, ...], ...]] = {}
    deny_any: list[tuple[str, ...]] = []
    for pattern in deny:
        if not pattern:
            continue
        if pattern[0] == "*":
            deny_any.append(pattern)
        else:
            deny_by_first[pattern[0]] = (*deny_by_first.get(pattern[0], ()), pattern)
    trusted, allow, pickle_exact, pickle_modules, origins, module_paths = compiled.code
    needles = tuple(("/" + m.replace(".", "/") + "/", "/" + m.replace(".", "/") + ".py") for m in allow)

    telemetry: list[Any] = [
        None,
        os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or None,
        os.environ.get("AWS_LAMBDA_FUNCTION_VERSION") or None,
        {},
        0,
        0,
        time.time(),
    ]
    state = (
        modes,
        compiled.process,
        (names, ips, unix, resolved),
        (read, write, deny_by_first, tuple(deny_any)),
        (trusted, needles, pickle_exact, pickle_modules, origins, module_paths),
        protected,
        telemetry,
        json.dumps(policy.to_dict(), sort_keys=True),
        (entry.__globals__, sealed),
        _events.FD,
        policy.max_events,
        _events.secret_values(os.environ),
    )

    route: dict[str, tuple[int, Any, Any]] = {}
    for event, (family, op) in _hook.EVENTS.items():
        if family == _hook.SHIELD:
            route[event] = (family, op, None)
            continue
        mode = modes[family]
        if mode == _hook.OFF:
            continue
        detail = {"op": "unchecked", "call": event}
        message = f"faasguard shield could not check {event} ({_hook.FAMILY_NAMES[family]} policy)"
        route[event] = (family, op, (family, mode, detail, message, _hook.FAMILY_NAMES[family]))

    entry.__defaults__ = (route, sealed["_judge"], state, sealed["_emit"], ShieldViolation, BaseException)

    if modes[_hook.FILES]:
        # Bytecode caches are written next to the sources: in a deployment package those are
        # read-only anyway, and elsewhere the write would be a files event on every import.
        sys.dont_write_bytecode = True
    sys.addaudithook(entry)
    for name, wrapper in wrappers.items():
        setattr(socket, name, wrapper)
