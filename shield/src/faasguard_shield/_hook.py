"""The audit hook: one decision per guarded operation.

This module is written so that code running later in the process cannot change what it decides.
:func:`faasguard_shield.install` does not use these functions as they are: it copies every function
of this module into a private namespace (its own copy of the module's names and of ``builtins``),
so replacing a name here, in ``os``, in ``socket`` or in ``builtins`` afterwards changes nothing.
The rules that keep that true, checked by ``tests/test_sealed.py``:

* the module imports functions, classes and constants, never a module object (a module's
  attributes can be swapped);
* no closures (their cells can be rewritten), no ``functools.partial``;
* ``_entry`` and the resolver wrappers (``_gai``, ``_ghbn``), whose frames and attributes other
  code can reach, load no global or builtin name at all: everything they use comes in through
  defaults, which they delete before raising;
* nothing here calls code of the caller's choosing: values from audit events are looked at with
  ``type()`` and the unbound methods of ``str``, ``bytes``, ``tuple`` and ``list``, never through
  their own (possibly overridden) methods.

The state (compiled policy, resolved addresses, counters) is one tuple ``S`` handed to ``_entry``
as a default; see ``_install.py`` for how it is assembled.
"""

from __future__ import annotations

from json.encoder import encode_basestring_ascii as _enc
from os import O_APPEND, O_CREAT, O_RDWR, O_TRUNC, O_WRONLY
from os import getcwd as _getcwd
from os import lstat as _lstat
from os import readlink as _readlink
from os import write as _write
from socket import AF_INET, AF_INET6
from socket import inet_pton as _inet_pton
from stat import S_ISLNK as _islink
from sys import _getframe
from time import gmtime as _gmtime
from time import strftime as _strftime
from time import time as _now
from types import CodeType

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any

# Families (indexes into S[0], the modes) and modes.
PROCESS, NETWORK, FILES, CODE, TAMPER, SHIELD = 0, 1, 2, 3, 4, 5
FAMILY_NAMES = ("process", "network", "files", "code", "tamper", "shield")
OFF, ALERT, BLOCK = 0, 1, 2
MODE_NAMES = ("off", "alert", "block")

# Indexes into S.
S_MODES, S_PROCESS, S_NETWORK, S_FILES, S_CODE, S_PROTECTED = range(6)
S_TELEMETRY, S_POLICY, S_FRAMES, S_FD, S_CAP, S_SECRETS = range(6, 12)
# Indexes into the telemetry list S[S_TELEMETRY].
T_REQUEST, T_NAME, T_VERSION, T_COUNTS, T_EMITTED, T_SUPPRESSED, T_WINDOW = range(7)

# File access kinds.
READ, WRITE, OPEN_FLAGS, SYMLINK = 0, 1, 2, 3
WRITE_FLAGS = O_WRONLY | O_RDWR | O_APPEND | O_CREAT | O_TRUNC

#: Audit event -> (family, operation). Files operations are (access, ((path index, dir_fd index), ...)).
EVENTS: dict[str, tuple[int, Any]] = {
    # process
    "subprocess.Popen": (PROCESS, 1),
    "os.system": (PROCESS, 2),
    "os.exec": (PROCESS, 3),
    "os.spawn": (PROCESS, 4),
    "os.posix_spawn": (PROCESS, 5),
    "os.fork": (PROCESS, 6),
    "os.forkpty": (PROCESS, 6),
    # network
    "socket.getaddrinfo": (NETWORK, 1),
    "socket.gethostbyname": (NETWORK, 2),
    "socket.gethostbyname_ex": (NETWORK, 2),
    "socket.connect": (NETWORK, 3),
    "socket.sendto": (NETWORK, 4),
    "socket.sendmsg": (NETWORK, 4),
    # files
    "open": (FILES, (OPEN_FLAGS, ((0, -1),))),
    "os.listdir": (FILES, (READ, ((0, -1),))),
    "os.scandir": (FILES, (READ, ((0, -1),))),
    "os.getxattr": (FILES, (READ, ((0, -1),))),
    "os.listxattr": (FILES, (READ, ((0, -1),))),
    "os.remove": (FILES, (WRITE, ((0, 1),))),
    "os.rmdir": (FILES, (WRITE, ((0, 1),))),
    "os.mkdir": (FILES, (WRITE, ((0, 2),))),
    "os.chmod": (FILES, (WRITE, ((0, 2),))),
    "os.chown": (FILES, (WRITE, ((0, 3),))),
    "os.chflags": (FILES, (WRITE, ((0, -1),))),
    "os.truncate": (FILES, (WRITE, ((0, -1),))),
    "os.utime": (FILES, (WRITE, ((0, 3),))),
    "os.setxattr": (FILES, (WRITE, ((0, -1),))),
    "os.removexattr": (FILES, (WRITE, ((0, -1),))),
    "os.rename": (FILES, (WRITE, ((0, 2), (1, 3)))),
    "os.link": (FILES, (WRITE, ((0, 2), (1, 3)))),
    "os.symlink": (FILES, (SYMLINK, ((1, 2),))),
    "shutil.rmtree": (FILES, (WRITE, ((0, 1),))),
    # dynamic code
    "compile": (CODE, 1),
    "exec": (CODE, 2),
    "marshal.loads": (CODE, 3),
    "marshal.load": (CODE, 3),
    "code.__new__": (CODE, 4),
    "pickle.find_class": (CODE, 5),
    "ctypes.dlopen": (CODE, 6),
    # the shield itself
    "object.__getattr__": (TAMPER, 1),
    "object.__setattr__": (TAMPER, 2),
    "gc.get_objects": (TAMPER, 3),
    "gc.get_referrers": (TAMPER, 3),
    "gc.get_referents": (TAMPER, 3),
    "sys._current_frames": (TAMPER, 3),
    "sys._current_exceptions": (TAMPER, 3),
    "sys.settrace": (TAMPER, 3),
    "sys.setprofile": (TAMPER, 3),
    "sys.addaudithook": (TAMPER, 3),
    "sys.monitoring.register_callback": (TAMPER, 3),
    "faasguard_shield.reinstall": (TAMPER, 4),
    "faasguard_shield.probe": (SHIELD, 1),
    "faasguard_shield.context": (SHIELD, 2),
    "faasguard_shield.counters": (SHIELD, 3),
    "faasguard_shield.finish": (SHIELD, 4),
}

_PROCESS_OPS = ("", "popen", "system", "exec", "spawn", "posix_spawn", "fork")
_CODE_OPS = ("", "compile", "exec", "marshal", "code_object", "pickle", "dlopen")
_SHELLS = frozenset(("sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"))
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
_SHELL_META = frozenset(";|&<>()$`'\" \t\n\\*?[]{}!#~")
_CLIP = 256


# ---------------------------------------------------------------- the hook itself


def _entry(
    event: str,
    args: tuple[Any, ...],
    _route: Any = None,
    _judge: Any = None,
    _S: Any = None,
    _emit: Any = None,
    _exc: Any = None,
    _base: Any = None,
) -> None:
    # Closed: no global or builtin names (see the module docstring).
    spec = _route.get(event)
    if spec is None:
        return
    try:
        found = _judge(_S, spec, event, args)
    except _base:
        found = spec[2]
    if found is None:
        return
    try:  # noqa: SIM105 - closed code: contextlib.suppress would be a global name
        _emit(_S, found)
    except _base:
        pass
    if found[1] != 2:
        return
    exc = _exc
    # The exception's traceback holds this frame: leave nothing in it that reaches the state.
    del _route, _judge, _S, _emit, _exc, _base
    raise exc(found[3], found[4], found[2])


def _judge(S: Any, spec: Any, event: str, args: tuple[Any, ...]) -> Any:
    family = spec[0]
    try:
        if family == PROCESS:
            detail = _process(S[S_PROCESS], spec[1], args)
        elif family == NETWORK:
            detail = _network(S[S_NETWORK], spec[1], args)
        elif family == FILES:
            detail = _files(S[S_FILES], spec[1], event, args)
        elif family == CODE:
            detail = _code(S, spec[1], args)
        elif family == TAMPER:
            detail = _tamper(S[S_PROTECTED], spec[1], event, args)
        else:
            _shield(S, spec[1], args)
            return None
    except BaseException:
        return spec[2]
    if detail is None:
        return None
    secrets = S[S_SECRETS]
    if secrets:
        for key, value in detail.items():
            if type(value) is str:
                for secret in secrets:
                    if secret in value:
                        value = value.replace(secret, "[redacted]")
                detail[key] = value
    mode = S[S_MODES][family]
    return (family, mode, detail, _message(family, mode, detail), FAMILY_NAMES[family])


def _message(family: int, mode: int, detail: dict[str, Any]) -> str:
    op = detail.get("op")
    if family == PROCESS:
        what = "process " + str(detail.get("command"))
        if detail.get("shell"):
            what += " (shell running " + str(detail.get("program")) + ")"
    elif family == NETWORK:
        target = detail.get("host") or detail.get("ip") or detail.get("path") or "?"
        port = detail.get("port")
        target = str(target) + ("" if port is None else ":" + str(port))
        what = ("name lookup of " if op == "resolve" else str(op) + " to ") + target
    elif family == FILES:
        what = str(op) + " of " + str(detail.get("path"))
    elif family == CODE:
        if op == "pickle":
            what = "unpickling " + str(detail.get("target"))
        elif op == "dlopen":
            what = "loading native library " + str(detail.get("library"))
        elif op == "exec":
            what = "running module code from writable " + str(detail.get("origin"))
        else:
            what = "dynamic code (" + str(op) + ") from " + str(detail.get("caller"))
    else:
        what = str(op) + (" of " + str(detail.get("target")) if detail.get("target") else "")
    verb = "blocked " if mode == BLOCK else "noticed "
    return "faasguard shield " + verb + what + " (" + FAMILY_NAMES[family] + " policy)"


# ---------------------------------------------------------------- safe views of event arguments


def _text(value: Any) -> str | None:
    """An exact ``str`` for str / bytes values (and their subclasses), else None."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bytes:
        return bytes.decode(value, "utf-8", "surrogateescape")
    if issubclass(kind, str):
        return str.__str__(value)
    if issubclass(kind, bytes):
        return bytes.decode(value, "utf-8", "surrogateescape")
    if issubclass(kind, bytearray):
        return bytearray.decode(value, "utf-8", "surrogateescape")
    return None


def _int(value: Any) -> int | None:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if issubclass(kind, int):
        return int.__int__(value)
    return None


def _item(seq: Any, index: int) -> Any:
    kind = type(seq)
    if issubclass(kind, list):
        return list.__getitem__(seq, index) if index < list.__len__(seq) else None
    if issubclass(kind, tuple):
        return tuple.__getitem__(seq, index) if index < tuple.__len__(seq) else None
    return None


def _basename(path: str) -> str:
    return path.rpartition("/")[2]


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else text[:_CLIP] + "..."


def _word(text: str) -> str:
    """A program or library name as it is when it is made of ordinary characters, else ``?``."""
    if not text or len(text) > 64:
        return "?"
    for ch in text:
        if ch not in _WORD:
            return "?"
    return text


# ---------------------------------------------------------------- process


def _process(P: Any, op: int, args: tuple[Any, ...]) -> dict[str, Any] | None:
    names, paths = P
    shell: str | None = None
    if op == 6:
        program = "fork"
    elif op == 2:
        program = "/bin/sh"
        shell = _text(args[0]) or ""
    else:
        if op == 4:
            exe, argv = args[1], args[2]
        else:
            exe, argv = args[0], args[1]
        program = _text(exe) or _text(_item(argv, 0)) or "?"
        if _basename(program) in _SHELLS and _text(_item(argv, 1)) == "-c":
            shell = _text(_item(argv, 2)) or ""
    base = _basename(program)
    if base in names or (program.startswith("/") and _normal(program) in paths):
        return None
    detail: dict[str, Any] = {"op": _PROCESS_OPS[op], "command": _word(base)}
    if shell is not None:
        detail["shell"] = True
        detail["program"] = _first_program(shell)
    return detail


def _first_program(command: str) -> str:
    """The program a shell command starts with (its name only: never arguments or assignments)."""
    for token in command.split():
        if "=" in token:
            continue
        end = 0
        for ch in token:
            if ch in _SHELL_META:
                break
            end += 1
        if end:
            return _word(_basename(token[:end]))
        if token[0] in ";|&":
            continue
        return "?"
    return "?"


# ---------------------------------------------------------------- network


def _network(N: Any, op: int, args: tuple[Any, ...]) -> dict[str, Any] | None:
    names, ips, unix, resolved = N
    if op <= 2:  # a name lookup: judged by name, before any DNS query leaves the function
        raw = _text(args[0])
        if not raw:
            return None
        host = _host(raw)
        port = _port(args[1]) if op == 1 else -1
        if _ip(host) is not None or _name_ok(names, host, port):
            return None
        return {"op": "resolve", "host": _clip(host), "port": port if port >= 0 else None}
    address = args[1]
    if address is None:
        return None
    action = "connect" if op == 3 else "send"
    if issubclass(type(address), tuple):
        raw = _text(_item(address, 0))
        number = _int(_item(address, 1))
        if raw is None or number is None:
            return None  # not an internet address (netlink, CAN, ...)
        port = number
        host = _host(raw)
        ip = _ip(host)
        if ip is None:  # a name handed straight to connect(): resolved inside the call
            if _name_ok(names, host, port):
                return None
            return {"op": action, "host": _clip(host), "port": port}
        if _ip_ok(ips, names, ip, port):
            return None
        hosts = resolved.get(host)
        if type(hosts) is tuple:
            for name in hosts:
                if _name_ok(names, name, port):
                    return None
            first = hosts[0] if hosts else None
        else:
            first = None
        return {"op": action, "host": first, "ip": _clip(host), "port": port}
    path = _text(address)
    if path is None:
        return None
    if path.startswith("\0"):
        path = "@" + path[1:]
    for allowed in unix:
        if path == allowed or path.startswith(allowed + "/"):
            return None
    return {"op": action, "path": _clip(path)}


def _host(text: str) -> str:
    return text.strip().lower().rstrip(".")


def _port(value: Any) -> int:
    number = _int(value)
    if number is not None:
        return number
    text = _text(value)
    if text is None:
        return -1
    if text.isdigit():
        return int(text)
    if text == "https":
        return 443
    if text == "http":
        return 80
    return -1


def _ip(host: str) -> tuple[int, int] | None:
    if ":" not in host and not host[-1:].isdigit():
        return None  # a host name: an IPv4 address ends with a digit, an IPv6 one has colons
    text = host
    cut = text.find("%")
    if cut >= 0:
        text = text[:cut]
    try:
        return (4, int.from_bytes(_inet_pton(AF_INET, text), "big"))
    except (OSError, ValueError):
        pass
    try:
        value = int.from_bytes(_inet_pton(AF_INET6, text), "big")
    except (OSError, ValueError):
        return None
    if value >> 32 == 0xFFFF:  # IPv4-mapped
        return (4, value & 0xFFFFFFFF)
    return (6, value)


def _name_ok(rules: Any, host: str, port: int) -> bool:
    for kind, text, rule_port in rules:
        if rule_port != -1 and port != -1 and rule_port != port:
            continue
        if kind == 2 or (kind == 0 and host == text) or (kind == 1 and host.endswith(text)):
            return True
    return False


def _ip_ok(ips: Any, names: Any, ip: tuple[int, int], port: int) -> bool:
    version, value = ip
    for rule_version, network, mask, rule_port in ips:
        if rule_version == version and value & mask == network and (rule_port == -1 or rule_port == port):
            return True
    return any(kind == 2 and (rule_port == -1 or rule_port == port) for kind, _, rule_port in names)


def _record(host: Any, result: Any, kind: int, resolved: Any = None, limit: int = 4096) -> None:
    """Remember which name each address came from (called by the resolver wrappers)."""
    try:
        raw = _text(host)
        if not raw:
            return
        name = _host(raw)
        if _ip(name) is not None:
            return
        found: list[str] = []
        if kind == 0:
            if type(result) is list:
                for item in result:
                    if type(item) is tuple and len(item) >= 5:
                        sockaddr = item[4]
                        if type(sockaddr) is tuple and sockaddr and type(sockaddr[0]) is str:
                            found.append(sockaddr[0])
        elif kind == 1:
            if type(result) is str:
                found.append(result)
        elif type(result) is tuple and len(result) == 3 and type(result[2]) is list:
            for address in result[2]:
                if type(address) is str:
                    found.append(address)
        for address in found:
            old = resolved.pop(address, None)
            hosts: tuple[str, ...] = (name,)
            if type(old) is tuple:
                for other in old:
                    if other != name and len(hosts) < 4:
                        hosts = (*hosts, other)
            resolved[address] = hosts
        while len(resolved) > limit:
            del resolved[next(iter(resolved))]
    except BaseException:
        return


def _gai(
    host: Any, port: Any, family: Any = 0, type: Any = 0, proto: Any = 0, flags: Any = 0, *, _k: Any = None
) -> Any:
    # Closed: stands in for socket.getaddrinfo and records what each name resolved to.
    real, record, base, convert = _k
    _k = None
    try:
        raw = real(host, port, family, type, proto, flags)
        try:  # noqa: SIM105 - closed code: no global names
            record(host, raw, 0)
        except base:
            pass
    finally:
        real = record = base = None
    return convert(raw)


def _ghbn(hostname: Any, *, _k: Any = None) -> Any:
    # Closed: stands in for socket.gethostbyname and socket.gethostbyname_ex.
    real, record, base, kind = _k
    _k = None
    try:
        result = real(hostname)
        try:  # noqa: SIM105 - closed code: no global names
            record(hostname, result, kind)
        except base:
            pass
    finally:
        real = record = base = None
    return result


# ---------------------------------------------------------------- files


def _files(F: Any, spec: Any, event: str, args: tuple[Any, ...]) -> dict[str, Any] | None:
    read, write, deny_by_first, deny_any = F
    access, slots = spec
    if access == OPEN_FLAGS:
        flags = _int(args[2]) if len(args) > 2 else None
        access = WRITE if flags is not None and flags & WRITE_FLAGS else READ
        path = args[0]
        # The common case, an absolute normal path: nothing to resolve.
        normal = type(path) is str and path[:1] == "/" and "/." not in path and "//" not in path
        if normal and path[-1:] != "/":
            first = path[1:].partition("/")[0]
            if access == READ and "/" in read and not deny_any and not deny_by_first.get(first):
                return None  # reading is allowed everywhere but the denied paths
            if _path_ok(path, write if access == WRITE else read, deny_by_first, deny_any) is None:
                return None
    for index, dirfd_index in slots:
        value = args[index] if index < len(args) else None
        if _int(value) is not None:
            continue  # an open file descriptor
        if value is None:
            text: str | None = "."
        else:
            text = _text(value)
        dirfd = -1
        if dirfd_index >= 0 and dirfd_index < len(args):
            number = _int(args[dirfd_index])
            if number is not None:
                dirfd = number
        full = _absolute(text, dirfd) if text is not None else None
        op = "write" if access != READ else "read"
        if full is None:
            return {"op": op, "path": "?", "call": event}
        verdict = _path_ok(full, write if access != READ else read, deny_by_first, deny_any)
        if verdict is not None:
            return {"op": op, "path": _clip(full), "call": event}
        if access == SYMLINK:
            # The link's target is judged as a write too: a link in /tmp must not become a way
            # to reach what /tmp does not.
            target = _text(args[0])
            if target is None:
                return {"op": "write", "path": "?", "call": event}
            if not target.startswith("/"):
                target = full.rpartition("/")[0] + "/" + target
            resolved = _absolute(target, -1)
            if resolved is None or _path_ok(resolved, write, deny_by_first, deny_any) is not None:
                return {"op": "write", "path": _clip(resolved or target), "call": event}
    return None


def _path_ok(full: str, prefixes: Any, deny_by_first: Any, deny_any: Any) -> str | None:
    """None when ``full`` is under one of ``prefixes`` and matches no deny pattern."""
    first = full[1:].partition("/")[0]
    by_first = deny_by_first.get(first)
    if by_first or deny_any:
        parts = full.split("/")[1:] if full != "/" else []
        for patterns in (by_first, deny_any):
            if patterns:
                for pattern in patterns:
                    if _matches(parts, pattern):
                        return "denied"
    for prefix in prefixes:
        if prefix == "/" or full == prefix or full.startswith(prefix + "/"):
            return None
    return "outside"


def _matches(parts: list[str], pattern: Any) -> bool:
    if len(pattern) > len(parts):
        return False
    return all(expected == "*" or expected == parts[index] for index, expected in enumerate(pattern))


def _normal(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "" or part == ".":
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


def _absolute(path: str, dirfd: int) -> str | None:
    """The absolute, normalised path; symlinks are resolved when ``..`` could climb out of one."""
    if not path.startswith("/"):
        base: str | None = None
        if dirfd >= 0:
            try:
                base = _readlink("/proc/self/fd/" + str(dirfd))
            except OSError:
                base = None
        if base is None or not base.startswith("/"):
            try:
                base = _getcwd()
            except OSError:
                return None
        path = base + "/" + path
    if "/." not in path and "//" not in path and path[-1:] != "/":
        return path  # already absolute and normal: the common case
    if "/../" not in path and not path.endswith("/.."):
        return _normal(path)
    return _physical(path)


def _physical(path: str) -> str | None:
    pending = [part for part in path.split("/") if part and part != "."]
    pending.reverse()
    resolved: list[str] = []
    hops = 0
    while pending:
        part = pending.pop()
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = "/" + "/".join(resolved) + ("/" if resolved else "") + part
        try:
            mode = _lstat(candidate).st_mode
        except (OSError, ValueError):
            resolved.append(part)
            continue
        if not _islink(mode):
            resolved.append(part)
            continue
        hops += 1
        if hops > 40:
            return None
        try:
            target = _readlink(candidate)
        except OSError:
            return None
        if target.startswith("/"):
            resolved = []
        for piece in reversed(target.split("/")):
            if piece and piece != ".":
                pending.append(piece)
    return "/" + "/".join(resolved)


# ---------------------------------------------------------------- dynamic code


def _code(S: Any, op: int, args: tuple[Any, ...]) -> dict[str, Any] | None:
    trusted, allow_needles, pickle_exact, pickle_modules, origins, module_paths = S[S_CODE]
    if op == 5:
        module = _text(args[0])
        name = _text(args[1])
        if module is None or name is None:
            return {"op": "pickle", "target": "?"}
        if module + "." + name in pickle_exact or module in pickle_modules:
            return None
        return {"op": "pickle", "target": _clip(module + "." + name)}
    if op == 6:
        library = _text(args[0])
        return {"op": "dlopen", "library": _word(_basename(library)) if library else "<process>"}
    if op == 2:
        code = args[0]
        if type(code) is not CodeType:
            return None
        origin = _text(code.co_filename)
        if origin is None or not origin.startswith("/"):
            return None
        for prefix in module_paths:
            if origin.startswith(prefix + "/"):
                return None
        for prefix in origins:
            if origin == prefix or origin.startswith(prefix + "/"):
                return {"op": "exec", "origin": _clip(origin)}
        return None
    # compile, marshal, code objects: judged by who is asking.
    ours = S[S_FRAMES]
    frame: Any = _getframe(1)
    while frame is not None and (frame.f_globals is ours[0] or frame.f_globals is ours[1]):
        frame = frame.f_back
    if frame is None:
        return None  # compiled by the interpreter itself, not by Python code
    filename = _text(frame.f_code.co_filename) or "?"
    if filename in trusted:
        return None
    for package_dir, module_file in allow_needles:
        if package_dir in filename or filename.endswith(module_file):
            return None
    caller = _basename(filename) if filename.startswith("/") else filename
    return {"op": _CODE_OPS[op], "caller": _clip(caller), "line": _int(frame.f_lineno)}


# ---------------------------------------------------------------- the shield itself


def _tamper(protected: Any, op: int, event: str, args: tuple[Any, ...]) -> dict[str, Any] | None:
    if op == 1:  # object.__getattr__(obj, name)
        name = args[1]
        if type(name) is not str or (name != "__defaults__" and name != "__kwdefaults__"):
            return None
        if id(args[0]) not in protected:
            return None
        return {"op": "read", "target": name}
    if op == 2:  # object.__setattr__(obj, name, value)
        if id(args[0]) not in protected:
            return None
        return {"op": "write", "target": _clip(_text(args[1]) or "?")}
    if op == 4:
        return {"op": "install", "target": "a different policy"}
    return {"op": event, "target": ""}


def _shield(S: Any, op: int, args: tuple[Any, ...]) -> None:
    telemetry = S[S_TELEMETRY]
    if op == 1:  # probe: which policy is installed
        box = args[0] if args else None
        if type(box) is list:
            list.append(box, S[S_POLICY])
    elif op == 2:  # context: an invocation starts or ends
        request_id = _text(args[0]) if args else None
        telemetry[T_REQUEST] = _clip(request_id) if request_id else None
        if len(args) > 2:
            name, version = _text(args[1]), _text(args[2])
            if name:
                telemetry[T_NAME] = _clip(name)
            if version:
                telemetry[T_VERSION] = _clip(version)
        telemetry[T_COUNTS] = {}
        telemetry[T_EMITTED] = 0
        telemetry[T_SUPPRESSED] = 0
        telemetry[T_WINDOW] = _now()
    else:  # 3: the counters of this invocation; 4: the same, and the invocation ends
        box = args[0] if args else None
        if type(box) is list:
            list.append(box, (dict(telemetry[T_COUNTS]), telemetry[T_EMITTED], telemetry[T_SUPPRESSED]))
        if op == 4:
            telemetry[T_REQUEST] = None
            telemetry[T_COUNTS] = {}
            telemetry[T_EMITTED] = 0
            telemetry[T_SUPPRESSED] = 0
            telemetry[T_WINDOW] = _now()


# ---------------------------------------------------------------- events


def _emit(S: Any, found: Any) -> None:
    telemetry = S[S_TELEMETRY]
    mode, detail, name = found[1], found[2], found[4]
    kind = "block" if mode == BLOCK else "alert"
    counts = telemetry[T_COUNTS]
    key = name + "." + kind
    counts[key] = counts.get(key, 0) + 1
    now = _now()
    if telemetry[T_REQUEST] is None and now - telemetry[T_WINDOW] > 60.0:
        telemetry[T_EMITTED] = 0  # outside an invocation the cap applies per minute
        telemetry[T_WINDOW] = now
    if telemetry[T_EMITTED] >= S[S_CAP]:
        telemetry[T_SUPPRESSED] += 1
        return
    telemetry[T_EMITTED] += 1
    line = _line(
        now,
        telemetry[T_REQUEST],
        telemetry[T_NAME],
        telemetry[T_VERSION],
        kind,
        name,
        MODE_NAMES[mode],
        detail,
        S[S_SECRETS],
    )
    _write_all(S[S_FD], line)


def _line(
    now: float,
    request_id: str | None,
    function_name: str | None,
    function_version: str | None,
    kind: str,
    family: str | None,
    mode: str | None,
    detail: Any,
    secrets: tuple[str, ...] = (),
) -> str:
    """One security event as a JSON line, fields always in this order.

    Any of the process's secret values (``secrets``: the values of environment variables such as
    ``AWS_SECRET_ACCESS_KEY`` or ``DB_PASSWORD``) found in a string is replaced by ``[redacted]``:
    a host name or path built from a secret does not carry it into the logs."""
    whole = int(now)
    stamp = _strftime("%Y-%m-%dT%H:%M:%S", _gmtime(whole)) + f".{int((now - whole) * 1000):03d}Z"
    return (
        '{"faasguard_shield":1,"time":'
        + _enc(stamp)
        + ',"function_name":'
        + _json(function_name, 0, secrets)
        + ',"function_version":'
        + _json(function_version, 0, secrets)
        + ',"request_id":'
        + _json(request_id, 0, secrets)
        + ',"kind":'
        + _json(kind)
        + ',"family":'
        + _json(family)
        + ',"mode":'
        + _json(mode)
        + ',"detail":'
        + _json(detail, 0, secrets)
        + "}\n"
    )


def _json(value: Any, depth: int = 0, secrets: tuple[str, ...] = ()) -> str:
    kind = type(value)
    if value is None or depth > 8:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return "null"
        return float.__repr__(value)
    if kind is str:
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, "[redacted]")
        return _enc(value)
    if kind is dict:
        parts = []
        for key, item in dict.items(value):
            parts.append(_json(_text(key) or "?", depth + 1, secrets) + ":" + _json(item, depth + 1, secrets))
        return "{" + ",".join(parts) + "}"
    if kind is list or kind is tuple:
        parts = []
        for item in value:
            parts.append(_json(item, depth + 1, secrets))
        return "[" + ",".join(parts) + "]"
    return "null"


def _write_all(fd: int, text: str) -> None:
    data = text.encode("utf-8", "surrogateescape")
    try:
        while data:
            written = _write(fd, data)
            data = data[written:]
    except OSError:
        return
