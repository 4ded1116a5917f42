"""The policy: what each family of guarded operations may do, and in which mode.

A policy is a frozen :class:`Policy`, or the same as a plain dict, a JSON file or
``FAASGUARD_SHIELD_*`` environment variables. Families and keys left out keep their defaults.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping

from ._errors import PolicyError
from ._record import Record
from ._rules import parse_network_entry, parse_path_pattern, parse_pickle_entry

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any, Literal

    Mode = Literal["off", "alert", "block"]

MODES: tuple[Mode, ...] = ("off", "alert", "block")
_MODE_BY_NAME: dict[str, Mode] = {"off": "off", "alert": "alert", "block": "block"}

#: Read and written by nobody, whatever ``files.read`` and ``files.write`` say: the process
#: environment (AWS credentials live there), memory and the "portals" that reach another root
#: or working folder. ``*`` stands for one path component (a process or thread id, ``self``).
SECRET_PATHS: tuple[str, ...] = (
    "/proc/*/environ",
    "/proc/*/task/*/environ",
    "/proc/*/mem",
    "/proc/*/task/*/mem",
    "/proc/*/root",
    "/proc/*/task/*/root",
    "/proc/*/cwd",
    "/proc/*/task/*/cwd",
    "/proc/*/map_files",
)

#: Classes pickle may load by default: plain data types that run no code of the attacker's choosing.
SAFE_PICKLE: tuple[str, ...] = (
    "builtins.set",
    "builtins.frozenset",
    "builtins.bytearray",
    "builtins.complex",
    "builtins.slice",
    "builtins.range",
    "builtins.object",
    "copyreg._reconstructor",
    "_codecs.encode",
    "collections.OrderedDict",
    "collections.deque",
    "collections.defaultdict",
    "collections.Counter",
    "datetime.*",
    "decimal.Decimal",
    "fractions.Fraction",
    "uuid.UUID",
    "zoneinfo.ZoneInfo",
)

#: Local ports of common Lambda extensions: Parameters and Secrets (2773), ADOT / OpenTelemetry
#: collectors (4317, 4318), Datadog (8125, 8126).
EXTENSION_PORTS: tuple[int, ...] = (2773, 4317, 4318, 8125, 8126)


class ProcessPolicy(Record):
    """Process creation: ``subprocess``, ``os.system``, ``os.exec*``, ``os.spawn*``, ``os.posix_spawn``, fork.

    ``allow`` names programs that may run anyway, by file name (``ffmpeg``) or absolute path;
    ``fork`` allows a bare fork. A shell command (``os.system``, ``shell=True``) runs ``sh``, so it is
    allowed only when ``sh`` is.
    """

    __slots__ = ("allow", "mode")
    mode: Mode
    allow: tuple[str, ...]

    def __init__(self, mode: Mode = "block", allow: Iterable[str] = ()) -> None:
        self._set(mode=mode, allow=_strings("process.allow", allow))
        _check_mode("process", self.mode)
        for entry in self.allow:
            if not entry or (entry.startswith("/") is False and "/" in entry):
                raise PolicyError(f"process.allow: {entry!r} is neither a program name nor an absolute path")


class NetworkPolicy(Record):
    """Outbound connections and the name lookups before them.

    ``allow`` entries are ``host[:port]``, ``*.domain[:port]``, ``*[:port]``, an IP address or CIDR
    range (``10.0.0.0/8:5432``, ``[::1]:8080``) or ``unix:/path`` for a Unix socket; no port means
    any port. ``aws`` allows HTTPS to the AWS endpoints of the function's region (``AWS_REGION``).
    ``lambda_local`` allows the X-Ray daemon (``AWS_XRAY_DAEMON_ADDRESS``, else 127.0.0.1:2000),
    the runtime API (``AWS_LAMBDA_RUNTIME_API``), container credentials and the local
    ``extension_ports``.
    """

    __slots__ = ("allow", "aws", "extension_ports", "lambda_local", "mode")
    mode: Mode
    allow: tuple[str, ...]
    aws: bool
    lambda_local: bool
    extension_ports: tuple[int, ...]

    def __init__(
        self,
        mode: Mode = "alert",
        allow: Iterable[str] = (),
        aws: bool = True,
        lambda_local: bool = True,
        extension_ports: Iterable[int] = EXTENSION_PORTS,
    ) -> None:
        self._set(
            mode=mode,
            allow=_strings("network.allow", allow),
            aws=aws,
            lambda_local=lambda_local,
            extension_ports=tuple(extension_ports),
        )
        _check_mode("network", self.mode)
        for key in ("aws", "lambda_local"):
            if not isinstance(getattr(self, key), bool):
                raise PolicyError(f"network.{key}: expected true or false, not {getattr(self, key)!r}")
        for entry in self.allow:
            parse_network_entry(entry)
        for port in self.extension_ports:
            if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
                raise PolicyError(f"network.extension_ports: {port!r} is not a port number")


class FilesPolicy(Record):
    """File access: ``open`` and the ``os`` / ``shutil`` file events.

    ``read`` and ``write`` are path prefixes (whole components: ``/tmp`` covers ``/tmp/x``, not
    ``/tmpx``). ``deny`` patterns are refused for reading and writing, on top of :data:`SECRET_PATHS`.
    """

    __slots__ = ("deny", "mode", "read", "write")
    mode: Mode
    read: tuple[str, ...]
    write: tuple[str, ...]
    deny: tuple[str, ...]

    def __init__(
        self,
        mode: Mode = "block",
        read: Iterable[str] = ("/",),
        write: Iterable[str] = ("/tmp", "/dev/null"),
        deny: Iterable[str] = (),
    ) -> None:
        self._set(
            mode=mode,
            read=_strings("files.read", read),
            write=_strings("files.write", write),
            deny=_strings("files.deny", deny),
        )
        _check_mode("files", self.mode)
        for key in ("read", "write", "deny"):
            for entry in getattr(self, key):
                parse_path_pattern(entry, wildcards=key == "deny", where=f"files.{key}")


class CodePolicy(Record):
    """Dynamic code: ``eval`` / ``exec`` / ``compile`` of code that is not a module, ``pickle``
    loading classes, ``marshal.loads``, code objects built at run time, ``ctypes`` loading a library,
    and module code loaded from a writable folder.

    Module imports and the standard library's own code generators (dataclasses, namedtuple, typing,
    inspect, ast) are always allowed. ``allow`` names more modules whose code may compile code
    (``jinja2``, ``attr``); ``pickle`` lists ``module.Class`` or ``module.*`` that unpickling may
    load; ``module_paths`` are writable folders that code may still be imported from.
    """

    __slots__ = ("allow", "mode", "module_paths", "pickle")
    mode: Mode
    allow: tuple[str, ...]
    pickle: tuple[str, ...]
    module_paths: tuple[str, ...]

    def __init__(
        self,
        mode: Mode = "alert",
        allow: Iterable[str] = (),
        pickle: Iterable[str] = SAFE_PICKLE,
        module_paths: Iterable[str] = (),
    ) -> None:
        self._set(
            mode=mode,
            allow=_strings("code.allow", allow),
            pickle=_strings("code.pickle", pickle),
            module_paths=_strings("code.module_paths", module_paths),
        )
        _check_mode("code", self.mode)
        for name in self.allow:
            if not name or not all(part.isidentifier() for part in name.split(".")):
                raise PolicyError(f"code.allow: {name!r} is not a module name")
        for entry in self.pickle:
            parse_pickle_entry(entry)
        for entry in self.module_paths:
            parse_path_pattern(entry, wildcards=False, where="code.module_paths")


class Policy(Record):
    """The whole policy. ``tamper`` guards the shield itself: reaching into its state through
    ``gc``, other threads' frames, tracing and profiling hooks, new audit hooks, or a second
    :func:`install` with another policy. ``max_events`` caps the event lines of one invocation
    (the rest are counted in its summary)."""

    __slots__ = ("code", "files", "max_events", "network", "process", "tamper")
    process: ProcessPolicy
    network: NetworkPolicy
    files: FilesPolicy
    code: CodePolicy
    tamper: Mode
    max_events: int

    def __init__(
        self,
        process: ProcessPolicy | None = None,
        network: NetworkPolicy | None = None,
        files: FilesPolicy | None = None,
        code: CodePolicy | None = None,
        tamper: Mode = "block",
        max_events: int = 100,
    ) -> None:
        self._set(
            process=process if process is not None else ProcessPolicy(),
            network=network if network is not None else NetworkPolicy(),
            files=files if files is not None else FilesPolicy(),
            code=code if code is not None else CodePolicy(),
            tamper=tamper,
            max_events=max_events,
        )
        for name, kind in (
            ("process", ProcessPolicy),
            ("network", NetworkPolicy),
            ("files", FilesPolicy),
            ("code", CodePolicy),
        ):
            if not isinstance(getattr(self, name), kind):
                raise PolicyError(f"{name}: expected a {kind.__name__}")
        _check_mode("tamper", self.tamper)
        if not isinstance(self.max_events, int) or isinstance(self.max_events, bool) or self.max_events < 0:
            raise PolicyError(f"max_events: {self.max_events!r} is not a count")

    # ----------------------------------------------------------------- constructors

    @classmethod
    def coerce(cls, value: Policy | Mapping[str, Any]) -> Policy:
        """A :class:`Policy` as it is, or one built from a dict."""
        if isinstance(value, Policy):
            return value
        if isinstance(value, Mapping):
            return cls.from_dict(value)
        raise PolicyError(f"a policy is a faasguard_shield.Policy or a dict, not {type(value).__name__}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base: Policy | None = None) -> Policy:
        """Build from a dict such as ``{"process": "block", "network": {"mode": "alert", "allow": [...]}}``.

        A family given as a string sets its mode only. Keys left out keep the values of ``base``
        (the defaults when there is none); unknown keys are errors.
        """
        if not isinstance(data, Mapping):
            raise PolicyError("a policy is a JSON object / dict")
        base = base if base is not None else cls()
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key in _FAMILIES:
                changes[key] = _family_from(key, value, getattr(base, key))
            elif key == "tamper":
                changes[key] = _mode_from("tamper", value)
            elif key == "max_events":
                changes[key] = _int_from("max_events", value)
            else:
                raise PolicyError(f"unknown policy key {key!r} (expected one of {', '.join(_TOP_KEYS)})")
        return base.replace(**changes)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], base: Policy | None = None) -> Policy:
        """Read a JSON file holding the dict form."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise PolicyError(f"cannot read the policy file {os.fspath(path)!r}: {exc}") from None
        return cls.from_dict(data, base)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, base: Policy | None = None) -> Policy:
        """Read ``FAASGUARD_SHIELD_*`` variables, so a template can set the policy.

        ``FAASGUARD_SHIELD_POLICY`` (the dict form as JSON) or ``FAASGUARD_SHIELD_POLICY_FILE``
        (a JSON file) comes first; then one variable per setting on top of it:
        ``FAASGUARD_SHIELD_<FAMILY>`` for a mode, ``FAASGUARD_SHIELD_<FAMILY>_<KEY>`` for a key
        (lists comma-separated, booleans ``true`` / ``false``), ``FAASGUARD_SHIELD_TAMPER``,
        ``FAASGUARD_SHIELD_MAX_EVENTS``. An unknown ``FAASGUARD_SHIELD_*`` variable is an error.
        """
        env = os.environ if environ is None else environ
        policy = base if base is not None else cls()
        if env.get("FAASGUARD_SHIELD_POLICY_FILE"):
            policy = cls.from_file(env["FAASGUARD_SHIELD_POLICY_FILE"], policy)
        if env.get("FAASGUARD_SHIELD_POLICY"):
            try:
                data = json.loads(env["FAASGUARD_SHIELD_POLICY"])
            except ValueError as exc:
                raise PolicyError(f"FAASGUARD_SHIELD_POLICY is not JSON: {exc}") from None
            policy = cls.from_dict(data, policy)
        overrides: dict[str, Any] = {}
        for name in sorted(env):
            if not name.startswith(_ENV_PREFIX) or name in (
                "FAASGUARD_SHIELD_POLICY",
                "FAASGUARD_SHIELD_POLICY_FILE",
            ):
                continue
            key = name[len(_ENV_PREFIX) :].lower()
            value = env[name]
            if key in ("tamper", "max_events"):
                overrides[key] = value
                continue
            family, _, setting = key.partition("_")
            if family not in _FAMILIES:
                raise PolicyError(f"unknown variable {name}")
            slot = overrides.setdefault(family, {})
            setting = setting or "mode"
            kind = _FIELD_KINDS[family].get(setting)
            if kind is None:
                raise PolicyError(f"unknown variable {name}")
            slot[setting] = _env_value(name, value, kind)
        return cls.from_dict(overrides, policy) if overrides else policy

    # ----------------------------------------------------------------- views

    def to_dict(self) -> dict[str, Any]:
        """The complete dict form (JSON-ready); ``Policy.from_dict(p.to_dict()) == p``."""
        out: dict[str, Any] = {}
        for name in _FAMILIES:
            family = getattr(self, name)
            out[name] = {
                key: list(getattr(family, key))
                if isinstance(getattr(family, key), tuple)
                else getattr(family, key)
                for key in family.__slots__
            }
        out["tamper"] = self.tamper
        out["max_events"] = self.max_events
        return out

    def modes(self) -> dict[str, str]:
        """Family name to mode, ``tamper`` included."""
        out: dict[str, str] = {name: getattr(self, name).mode for name in _FAMILIES}
        out["tamper"] = self.tamper
        return out


_ENV_PREFIX = "FAASGUARD_SHIELD_"
_FAMILY_TYPES: dict[str, type[Any]] = {
    "process": ProcessPolicy,
    "network": NetworkPolicy,
    "files": FilesPolicy,
    "code": CodePolicy,
}
_FAMILIES = tuple(_FAMILY_TYPES)
_TOP_KEYS = (*_FAMILIES, "tamper", "max_events")


def _field_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, tuple):
        return "ints" if value and isinstance(value[0], int) else "strs"
    if isinstance(value, int):
        return "int"
    return "mode"


def _strings(where: str, values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise PolicyError(f"{where}: expected a list of strings, not the string {values!r}")
    items = tuple(values)
    if not all(isinstance(item, str) for item in items):
        raise PolicyError(f"{where}: expected a list of strings")
    return items


def _check_mode(where: str, mode: object) -> None:
    if mode not in MODES:
        raise PolicyError(f"{where}: mode {mode!r} is not one of off, alert, block")


def _mode_from(where: str, value: Any) -> Mode:
    mode = _MODE_BY_NAME.get(value.strip().lower()) if isinstance(value, str) else None
    if mode is not None:
        return mode
    raise PolicyError(f"{where}: mode {value!r} is not one of off, alert, block")


def _int_from(where: str, value: Any) -> int:
    if isinstance(value, bool):
        raise PolicyError(f"{where}: {value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise PolicyError(f"{where}: {value!r} is not a whole number")


def _family_from(name: str, value: Any, current: Any) -> Any:
    if isinstance(value, str):
        return current.replace(mode=_mode_from(name, value))
    if not isinstance(value, Mapping):
        raise PolicyError(f"{name}: expected a mode or an object, not {type(value).__name__}")
    kinds = _FIELD_KINDS[name]
    changes: dict[str, Any] = {}
    for key, item in value.items():
        kind = kinds.get(key)
        if kind is None:
            raise PolicyError(f"{name}: unknown key {key!r} (expected one of {', '.join(kinds)})")
        where = f"{name}.{key}"
        if kind == "mode":
            changes[key] = _mode_from(name, item)
        elif kind == "bool":
            if not isinstance(item, bool):
                raise PolicyError(f"{where}: expected true or false, not {item!r}")
            changes[key] = item
        elif kind == "ints":
            changes[key] = tuple(_int_from(where, x) for x in _listish(where, item))
        else:
            entries = _listish(where, item)
            if not all(isinstance(x, str) for x in entries):
                raise PolicyError(f"{where}: expected a list of strings")
            changes[key] = tuple(entries)
    return current.replace(**changes)


def _listish(where: str, value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return list(value)
    raise PolicyError(f"{where}: expected a list")


def _env_value(name: str, value: str, kind: str) -> Any:
    if kind == "mode":
        return value
    if kind == "bool":
        text = value.strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise PolicyError(f"{name}: expected true or false, not {value!r}")
    items = [part for chunk in value.split(",") for part in chunk.split()]
    return items


_FIELD_KINDS: dict[str, dict[str, str]] = {
    name: {key: _field_kind(getattr(cls(), key)) for key in cls.__slots__}
    for name, cls in _FAMILY_TYPES.items()
}
_FIELD_KINDS["network"]["extension_ports"] = "ints"
