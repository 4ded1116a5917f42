"""Policy entries turned into the plain, immutable tables the audit hook reads.

Everything here runs at :func:`faasguard_shield.install` time (or when a policy is built), never
inside the hook: the hook only sees tuples, frozensets, strings and integers made here.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

from ._errors import PolicyError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._policy import Policy

# Name rule kinds.
EXACT, SUFFIX, ANY = 0, 1, 2

NameRule = tuple[int, str, int]  # (kind, host or ".suffix", port or -1)
IpRule = tuple[int, int, int, int]  # (version, network, mask, port or -1)


def parse_network_entry(entry: str) -> tuple[str, NameRule | IpRule | str]:
    """``host[:port]``, ``*.domain[:port]``, ``*[:port]``, IP / CIDR, ``[v6]:port`` or ``unix:/path``."""
    if not isinstance(entry, str) or not entry.strip():
        raise PolicyError(f"network.allow: {entry!r} is not a host, address or unix:/path")
    text = entry.strip()
    if text.startswith("unix:"):
        path = text[5:]
        if not (path.startswith("/") or path.startswith("@")):
            raise PolicyError(
                f"network.allow: {entry!r}: a Unix socket is unix:/absolute/path or unix:@abstract"
            )
        return "unix", path
    if "://" in text or "/" in text.partition("/")[2]:
        raise PolicyError(f"network.allow: {entry!r}: an entry is host[:port], not a URL")
    port = -1
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise PolicyError(f"network.allow: {entry!r}: missing ']'")
        host, rest = text[1:close], text[close + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise PolicyError(f"network.allow: {entry!r}: expected ':port' after ']'")
            port = _port(entry, rest[1:])
    elif text.count(":") > 1:
        host = text
    elif ":" in text:
        host, _, port_text = text.rpartition(":")
        port = _port(entry, port_text)
    else:
        host = text
    host = host.strip().lower().rstrip(".")
    if host == "*":
        return "name", (ANY, "", port)
    if host.startswith("*."):
        suffix = host[1:]
        _check_hostname(entry, suffix[1:])
        return "name", (SUFFIX, suffix, port)
    address, slash, length = host.partition("/")
    parsed = parse_ip(address)
    if parsed is None:
        if slash or ":" in host:
            raise PolicyError(f"network.allow: {entry!r} is not a valid address or range")
        _check_hostname(entry, host)
        return "name", (EXACT, host, port)
    version, value = parsed
    bits = 32 if version == 4 else 128
    if slash:
        if not length.isdigit() or int(length) > bits:
            raise PolicyError(f"network.allow: {entry!r}: /{length} is not a prefix length")
        prefix = int(length)
    else:
        prefix = bits
    mask = ((1 << prefix) - 1) << (bits - prefix)
    return "ip", (version, value & mask, mask, port)


def parse_ip(text: str) -> tuple[int, int] | None:
    """(4 or 6, integer value) of an IP address; IPv4-mapped IPv6 addresses count as IPv4."""
    try:
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError):
        pass
    try:
        value = int.from_bytes(socket.inet_pton(socket.AF_INET6, text.partition("%")[0]), "big")
    except (OSError, ValueError):
        return None
    if value >> 32 == 0xFFFF:
        return 4, value & 0xFFFFFFFF
    return 6, value


def _port(entry: str, text: str) -> int:
    if text == "*":
        return -1
    if text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    raise PolicyError(f"network.allow: {entry!r}: {text!r} is not a port")


def _check_hostname(entry: str, host: str) -> None:
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-._")
    if not host or not set(host) <= allowed or ".." in host:
        raise PolicyError(f"network.allow: {entry!r} is not a valid host name")


def parse_path_pattern(entry: str, *, wildcards: bool, where: str) -> str:
    """An absolute path, normalised (no trailing slash, no ``.`` or ``..``); ``*`` components
    only where ``wildcards``."""
    if not isinstance(entry, str) or not entry.startswith("/"):
        raise PolicyError(f"{where}: {entry!r} is not an absolute path")
    parts = [part for part in entry.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PolicyError(f"{where}: {entry!r} must not contain '..'")
    if not wildcards and "*" in parts:
        raise PolicyError(f"{where}: {entry!r}: '*' is only understood in files.deny")
    if any("*" in part and part != "*" for part in parts):
        raise PolicyError(f"{where}: {entry!r}: '*' stands for one whole path component")
    return "/" + "/".join(parts)


def parse_pickle_entry(entry: str) -> tuple[str, str]:
    """``module.Name`` or ``module.*``."""
    module, _, name = entry.rpartition(".") if isinstance(entry, str) else ("", "", "")
    ok_module = bool(module) and all(part.isidentifier() for part in module.split("."))
    if not ok_module or not (name == "*" or name.isidentifier()):
        raise PolicyError(f"code.pickle: {entry!r} is not module.Name or module.*")
    return module, name


class Compiled:
    """The hook's tables, made once at install."""

    __slots__ = ("code", "files", "modes", "network", "process")

    modes: tuple[int, int, int, int, int]
    process: tuple[frozenset[str], frozenset[str]]
    network: tuple[tuple[NameRule, ...], tuple[IpRule, ...], tuple[str, ...]]
    files: tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]
    code: tuple[
        frozenset[str], tuple[str, ...], frozenset[str], frozenset[str], tuple[str, ...], tuple[str, ...]
    ]

    def __init__(self, modes: Any, process: Any, network: Any, files: Any, code: Any) -> None:
        self.modes, self.process, self.network, self.files, self.code = modes, process, network, files, code


MODE_NUMBERS = {"off": 0, "alert": 1, "block": 2}

# Standard-library modules that generate and compile code as part of their normal work.
_STDLIB_CODEGEN = (
    "dataclasses.py",
    "collections/__init__.py",
    "typing.py",
    "inspect.py",
    "ast.py",
    "annotationlib.py",
)
_FROZEN_IMPORT = (
    "<frozen importlib._bootstrap>",
    "<frozen importlib._bootstrap_external>",
    "<frozen zipimport>",
)


def compile_policy(policy: Policy, environ: Mapping[str, str] | None = None) -> Compiled:
    env = os.environ if environ is None else environ
    modes = (
        MODE_NUMBERS[policy.process.mode],
        MODE_NUMBERS[policy.network.mode],
        MODE_NUMBERS[policy.files.mode],
        MODE_NUMBERS[policy.code.mode],
        MODE_NUMBERS[policy.tamper],
    )
    names = frozenset(entry for entry in policy.process.allow if not entry.startswith("/"))
    paths = frozenset(
        parse_path_pattern(e, wildcards=False, where="process.allow")
        for e in policy.process.allow
        if e.startswith("/")
    )

    name_rules: list[NameRule] = []
    ip_rules: list[IpRule] = []
    unix: list[str] = []
    entries = list(policy.network.allow)
    if policy.network.aws:
        entries += aws_endpoints(env)
    if policy.network.lambda_local:
        entries += lambda_local_endpoints(env, policy.network.extension_ports)
    for entry in entries:
        kind, rule = parse_network_entry(entry)
        if kind == "name":
            name_rules.append(rule)  # type: ignore[arg-type]
        elif kind == "ip":
            ip_rules.append(rule)  # type: ignore[arg-type]
        else:
            unix.append(rule)  # type: ignore[arg-type]

    read = tuple(parse_path_pattern(e, wildcards=False, where="files.read") for e in policy.files.read)
    write = tuple(parse_path_pattern(e, wildcards=False, where="files.write") for e in policy.files.write)
    from ._policy import SECRET_PATHS

    deny = tuple(
        tuple(parse_path_pattern(e, wildcards=True, where="files.deny").split("/")[1:])
        for e in (*SECRET_PATHS, *policy.files.deny)
    )

    stdlib = os.path.dirname(os.__file__)
    trusted = frozenset(
        (*_FROZEN_IMPORT, *(os.path.join(stdlib, *name.split("/")) for name in _STDLIB_CODEGEN))
    )
    exact, wild = pickle_tables(policy.code.pickle)
    module_paths = tuple(
        parse_path_pattern(e, wildcards=False, where="code.module_paths") for e in policy.code.module_paths
    )
    # Code is "from a writable folder" when it comes from where the policy lets the function write.
    origins = tuple(p for p in write if p not in ("/dev/null",))

    return Compiled(
        modes=modes,
        process=(names, paths),
        network=(tuple(dict.fromkeys(name_rules)), tuple(dict.fromkeys(ip_rules)), tuple(unix)),
        files=(read, write, deny),
        code=(trusted, tuple(policy.code.allow), exact, wild, origins, module_paths),
    )


def pickle_tables(entries: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """Allowed ``module.Name`` and ``module`` (for ``module.*``), with the Python 2 spellings that
    protocol 0-2 pickles use (``__builtin__.set``, ``copy_reg._reconstructor``)."""
    import _compat_pickle

    exact: set[str] = set()
    wild: set[str] = set()
    for entry in entries:
        module, name = parse_pickle_entry(entry)
        old_module = _compat_pickle.REVERSE_IMPORT_MAPPING.get(module, module)
        if name == "*":
            wild.update((module, old_module))
            continue
        exact.add(f"{module}.{name}")
        old = _compat_pickle.REVERSE_NAME_MAPPING.get((module, name), (old_module, name))
        exact.add(f"{old[0]}.{old[1]}")
    return frozenset(exact), frozenset(wild)


def aws_endpoints(environ: Mapping[str, str]) -> list[str]:
    """HTTPS endpoints of the AWS services in the function's region."""
    region = (environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "").strip().lower()
    if not region or not all(c.isalnum() or c == "-" for c in region):
        return []
    out = [f"*.{region}.amazonaws.com:443", f"*.{region}.api.aws:443", "sts.amazonaws.com:443"]
    if region.startswith("cn-"):
        out.append(f"*.{region}.amazonaws.com.cn:443")
    if region == "us-east-1":  # S3's legacy global endpoint is us-east-1's
        out += ["s3.amazonaws.com:443", "*.s3.amazonaws.com:443"]
    return out


def lambda_local_endpoints(environ: Mapping[str, str], extension_ports: tuple[int, ...]) -> list[str]:
    """The X-Ray daemon, the runtime API, container credentials and local extension ports."""
    out: list[str] = []
    xray = environ.get("AWS_XRAY_DAEMON_ADDRESS", "").strip() or "127.0.0.1:2000"
    for part in xray.split():
        for prefix in ("tcp:", "udp:"):
            if part.startswith(prefix):
                part = part[len(prefix) :]
        out.append(part)
    runtime_api = environ.get("AWS_LAMBDA_RUNTIME_API", "").strip()
    if runtime_api:
        out.append(runtime_api)
    for variable in ("AWS_CONTAINER_CREDENTIALS_FULL_URI",):
        uri = environ.get(variable, "").strip()
        scheme, _, rest = uri.partition("://")
        authority = rest.split("/", 1)[0].rpartition("@")[2]
        if authority:
            has_port = authority.rpartition(":")[2].isdigit() and not authority.endswith("]")
            default = "443" if scheme == "https" else "80"
            out.append(authority if has_port else f"{authority}:{default}")
    for port in extension_ports:
        out += [f"127.0.0.1:{port}", f"[::1]:{port}", f"localhost:{port}"]
    valid = []
    for entry in out:
        try:
            parse_network_entry(entry)
        except PolicyError:
            continue  # a malformed variable set by someone else must not stop the function
        valid.append(entry)
    return valid
