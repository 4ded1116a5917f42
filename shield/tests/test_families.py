"""Real handlers in their own process, the shield installed from the environment as a template
would set it: each family allowed, alerted or blocked as the policy says."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import FAKE_SECRET, http_event

MODES = ["off", "alert", "block"]
SAFE_500 = {"statusCode": 500, "headers": {"Content-Type": "application/json"}}


def policy_env(policy: dict) -> dict[str, str]:
    return {"FAASGUARD_SHIELD_POLICY": json.dumps(policy)}


def assert_safe_500(result: dict) -> None:
    assert result["ok"], result
    response = result["result"]
    assert {k: response[k] for k in SAFE_500} == SAFE_500
    assert json.loads(response["body"]) == {"message": "Internal Server Error"}


def family_events(run, family: str) -> list[dict]:
    return [e for e in run.events if e["family"] == family]


# ---------------------------------------------------------------- process

PROCESS_HANDLER = """
import os, subprocess
import faasguard_shield
faasguard_shield.install()

@faasguard_shield.guard()
def handler(event, context):
    if event["how"] == "system":
        os.system("echo ran > " + event["marker"])
    else:
        subprocess.run(["touch", event["marker"]], check=True)
    return {"statusCode": 200, "body": "done"}
"""


@pytest.mark.parametrize("mode", MODES)
def test_shell_command(run, tmp_path: Path, mode: str) -> None:
    marker = tmp_path / "marker"
    result = run(
        PROCESS_HANDLER,
        [http_event(how="system", marker=str(marker))],
        policy_env({"process": mode, "files": "off"}),
    )
    events = family_events(result, "process")
    if mode == "off":
        assert marker.exists() and events == []
        assert result.result["result"]["statusCode"] == 200
    elif mode == "alert":
        assert marker.exists()
        assert [e["detail"] for e in events] == [
            {"op": "system", "command": "sh", "shell": True, "program": "echo"}
        ]
        assert [(e["kind"], e["mode"]) for e in events] == [("alert", "alert")]
    else:
        assert not marker.exists()
        assert [(e["kind"], e["detail"]["command"]) for e in events] == [("block", "sh")]
        assert_safe_500(result.result)


def test_program_allow_list(run, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    allowed = run(
        PROCESS_HANDLER,
        [http_event(how="argv", marker=str(marker))],
        policy_env({"process": {"mode": "block", "allow": ["touch"]}, "files": "off"}),
    )
    assert marker.exists() and family_events(allowed, "process") == []
    # The allow-list names programs: a shell command runs sh, which is not on it.
    shell = run(
        PROCESS_HANDLER,
        [http_event(how="system", marker=str(tmp_path / "other"))],
        policy_env({"process": {"mode": "block", "allow": ["touch", "echo"]}, "files": "off"}),
    )
    assert not (tmp_path / "other").exists()
    assert [e["detail"]["command"] for e in family_events(shell, "process")] == ["sh"]


def test_popen_argv_is_blocked_and_not_logged(run, tmp_path: Path) -> None:
    source = """
    import subprocess
    import faasguard_shield
    faasguard_shield.install({"process": "block", "files": "off"})

    def handler(event, context):
        try:
            subprocess.run(["curl", "-H", "Authorization: " + event["token"], "https://example.com"])
        except faasguard_shield.ShieldViolation as exc:
            return {"family": exc.family, "detail": exc.detail}
    """
    result = run(source, [{"token": FAKE_SECRET}])
    assert result.result["result"] == {"family": "process", "detail": {"op": "popen", "command": "curl"}}
    assert FAKE_SECRET not in json.dumps(result.events)


# ---------------------------------------------------------------- network

NETWORK_HANDLER = """
import json, urllib.request
import faasguard_shield
faasguard_shield.install()

@faasguard_shield.guard()
def handler(event, context):
    with urllib.request.urlopen(event["url"], timeout=5) as response:
        return {"statusCode": 200, "body": response.read().decode()}
"""


@pytest.mark.parametrize("mode", MODES)
def test_connection_to_a_host_outside_the_allow_list(run, http_server, mode: str) -> None:
    port = http_server.server_address[1]
    result = run(
        NETWORK_HANDLER,
        [http_event(url=f"http://localhost:{port}/")],
        policy_env({"network": {"mode": mode, "allow": ["*.amazonaws.com:443"]}}),
    )
    events = family_events(result, "network")
    if mode == "off":
        assert http_server.hits == 1 and events == []
    elif mode == "alert":
        assert http_server.hits == 1
        assert result.result["result"]["statusCode"] == 200
        details = [e["detail"] for e in events]
        assert details[0] == {"op": "resolve", "host": "localhost", "port": port}
        assert {"op": "connect", "host": "localhost", "ip": "127.0.0.1", "port": port} in details
    else:
        assert http_server.hits == 0  # refused before the lookup: no query, no connection
        assert [(e["kind"], e["detail"]) for e in events] == [
            ("block", {"op": "resolve", "host": "localhost", "port": port})
        ]
        assert_safe_500(result.result)


def test_allowed_host_by_name_and_by_address(run, http_server) -> None:
    port = http_server.server_address[1]
    by_name = run(
        NETWORK_HANDLER,
        [http_event(url=f"http://localhost:{port}/")],
        policy_env({"network": {"mode": "block", "allow": [f"localhost:{port}"]}}),
    )
    by_address = run(
        NETWORK_HANDLER,
        [http_event(url=f"http://127.0.0.1:{port}/")],
        policy_env({"network": {"mode": "block", "allow": [f"127.0.0.0/8:{port}"]}}),
    )
    for result in (by_name, by_address):
        assert result.result["result"] == {"statusCode": 200, "body": '{"ok": true}'}
        assert family_events(result, "network") == []
    assert http_server.hits == 2


def test_connect_is_correlated_with_the_name_it_was_resolved_from(run, http_server) -> None:
    """Resolving an allowed name does not make any address allowed: only the addresses it resolved to."""
    port = http_server.server_address[1]
    source = """
    import socket
    import faasguard_shield
    faasguard_shield.install()

    def handler(event, context):
        port = event["port"]
        out = {}
        infos = socket.getaddrinfo("localhost", port, type=socket.SOCK_STREAM)
        out["resolved"] = sorted({info[4][0] for info in infos})
        for address in ("127.0.0.1", "127.0.0.2"):
            sock = socket.socket()
            sock.settimeout(2)
            try:
                sock.connect((address, port))
                out[address] = "connected"
            except faasguard_shield.ShieldViolation:
                out[address] = "blocked"
            except OSError as exc:
                out[address] = type(exc).__name__
            finally:
                sock.close()
        return out
    """
    result = run(
        source, [{"port": port}], policy_env({"network": {"mode": "block", "allow": [f"localhost:{port}"]}})
    )
    out = result.result["result"]
    assert "127.0.0.1" in out["resolved"]
    assert out["127.0.0.1"] == "connected"
    assert out["127.0.0.2"] == "blocked"
    assert [e["detail"] for e in family_events(result, "network")] == [
        {"op": "connect", "host": None, "ip": "127.0.0.2", "port": port}
    ]


def test_asyncio_resolves_in_a_thread_and_connects_in_the_loop(run, http_server) -> None:
    port = http_server.server_address[1]
    source = """
    import asyncio
    import faasguard_shield
    faasguard_shield.install()

    async def fetch(port):
        reader, writer = await asyncio.open_connection("localhost", port)
        writer.write(b"GET / HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n")
        await writer.drain()
        data = await reader.read()
        writer.close()
        return data.split(b"\\r\\n")[0].decode()

    def handler(event, context):
        return asyncio.run(fetch(event["port"]))
    """
    result = run(
        source, [{"port": port}], policy_env({"network": {"mode": "block", "allow": [f"localhost:{port}"]}})
    )
    assert result.result["result"].endswith("200 OK")
    assert family_events(result, "network") == []


def test_xray_daemon_and_extension_ports_are_allowed_by_default(run) -> None:
    source = """
    import socket
    import faasguard_shield
    faasguard_shield.install()

    def handler(event, context):
        out = {}
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for port in (2000, 2001):
            try:
                udp.sendto(b'{"format":"json"}', ("127.0.0.1", port))
                out[str(port)] = "sent"
            except faasguard_shield.ShieldViolation:
                out[str(port)] = "blocked"
        udp.close()
        tcp = socket.socket()
        tcp.settimeout(1)
        try:
            tcp.connect(("127.0.0.1", 2773))  # Parameters and Secrets extension
        except faasguard_shield.ShieldViolation:
            out["2773"] = "blocked"
        except OSError:
            out["2773"] = "allowed"
        tcp.close()
        unix = socket.socket(socket.AF_UNIX)
        try:
            unix.connect("/var/run/docker.sock")
        except faasguard_shield.ShieldViolation:
            out["unix"] = "blocked"
        except OSError:
            out["unix"] = "allowed"
        return out
    """
    result = run(source, [{}], policy_env({"network": "block"}))
    assert result.result["result"] == {
        "2000": "sent",
        "2001": "blocked",
        "2773": "allowed",
        "unix": "blocked",
    }


# ---------------------------------------------------------------- files

ENVIRON_HANDLER = """
import faasguard_shield
faasguard_shield.install()

@faasguard_shield.guard()
def handler(event, context):
    with open("/proc/self/environ", "rb") as handle:
        data = handle.read()
    return {"statusCode": 200, "body": str(len(data))}
"""


@pytest.mark.parametrize("mode", MODES)
def test_read_of_proc_self_environ(run, mode: str) -> None:
    result = run(ENVIRON_HANDLER, [http_event()], policy_env({"files": mode}))
    events = family_events(result, "files")
    if mode == "block":
        assert_safe_500(result.result)
        assert [(e["kind"], e["detail"]) for e in events] == [
            ("block", {"op": "read", "path": "/proc/self/environ", "call": "open"})
        ]
    else:
        assert int(result.result["result"]["body"]) > len(FAKE_SECRET)
        expected = (
            [] if mode == "off" else [("alert", {"op": "read", "path": "/proc/self/environ", "call": "open"})]
        )
        assert [(e["kind"], e["detail"]) for e in events] == expected
    assert FAKE_SECRET not in json.dumps(result.events) + json.dumps(result.results)


@pytest.fixture
def outside_tmp():
    """A writable folder outside /tmp (standing in for /var/task, read-only in Lambda)."""
    base = (
        "/var/tmp"
        if os.access("/var/tmp", os.W_OK) and not os.path.realpath("/var/tmp").startswith("/tmp")
        else None
    )
    folder = tempfile.mkdtemp(prefix="fgs-outside-", dir=base or os.path.expanduser("~"))
    assert not os.path.realpath(folder).startswith("/tmp/")
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


WRITE_HANDLER = """
import faasguard_shield
faasguard_shield.install()

@faasguard_shield.guard()
def handler(event, context):
    with open(event["path"], "w") as handle:
        handle.write("x")
    return {"statusCode": 200, "body": "written"}
"""


@pytest.mark.parametrize("mode", MODES)
def test_write_outside_tmp(run, outside_tmp: Path, mode: str) -> None:
    target = outside_tmp / "config.json"
    result = run(WRITE_HANDLER, [http_event(path=str(target))], policy_env({"files": mode}))
    events = family_events(result, "files")
    if mode == "block":
        assert not target.exists()
        assert_safe_500(result.result)
        assert [(e["kind"], e["detail"]) for e in events] == [
            ("block", {"op": "write", "path": str(target), "call": "open"})
        ]
    else:
        assert target.read_text() == "x"
        assert [e["kind"] for e in events] == ([] if mode == "off" else ["alert"])


def test_write_inside_tmp_is_allowed(run, tmp_path: Path) -> None:
    target = tmp_path / "scratch.json"
    result = run(WRITE_HANDLER, [http_event(path=str(target))], policy_env({"files": "block"}))
    assert target.read_text() == "x" and family_events(result, "files") == []


def test_symlinks_do_not_reach_what_the_policy_denies(run, tmp_path: Path) -> None:
    source = """
    import os
    import faasguard_shield
    faasguard_shield.install({"files": "block"})

    def attempt(action):
        try:
            action()
            return "done"
        except faasguard_shield.ShieldViolation as exc:
            return exc.detail["path"]

    def handler(event, context):
        base = event["base"]
        deep = os.path.join(base, "a", "b")
        os.makedirs(deep)
        env_link = os.path.join(base, "env")
        out = {"link_to_environ": attempt(lambda: os.symlink("/proc/self/environ", env_link))}
        # A link to /tmp is allowed, but '..' after it climbs from where it points, not from where it is.
        out["link_to_tmp"] = attempt(lambda: os.symlink(base, os.path.join(deep, "up")))
        sneaky = os.path.join(deep, "up", *[".."] * 12, "proc", "self", "environ")
        out["dotdot_through_link"] = attempt(lambda: open(sneaky).read())
        os.chdir(deep)
        out["relative_climb"] = attempt(lambda: open("../../../../../../../../etc/hostname", "a"))
        return out
    """
    result = run(source, [{"base": str(tmp_path / "work")}])
    out = result.result["result"]
    # Resolving the real path turns /proc/self into /proc/<pid>: still the environment.
    assert re.fullmatch(r"/proc/\d+/environ", out.pop("dotdot_through_link"))
    assert out == {
        "link_to_environ": "/proc/self/environ",
        "link_to_tmp": "done",
        "relative_climb": "/etc/hostname",
    }


# ---------------------------------------------------------------- dynamic code

EVAL_HANDLER = """
import faasguard_shield
faasguard_shield.install()

@faasguard_shield.guard()
def handler(event, context):
    return {"statusCode": 200, "body": str(eval(event["expr"]))}
"""


@pytest.mark.parametrize("mode", MODES)
def test_eval_of_event_data(run, mode: str) -> None:
    expression = f"len('{FAKE_SECRET}') * 0 + 42"
    result = run(EVAL_HANDLER, [http_event(expr=expression)], policy_env({"code": mode}))
    events = family_events(result, "code")
    if mode == "block":
        assert_safe_500(result.result)
    else:
        assert result.result["result"]["body"] == "42"
    if mode == "off":
        assert events == []
    else:
        assert [(e["kind"], e["detail"]["op"], e["detail"]["caller"]) for e in events] == [
            ("block" if mode == "block" else "alert", "compile", "handler.py")
        ]
    assert FAKE_SECRET not in json.dumps(result.events)


PICKLE_HANDLER = """
import base64, pickle
import faasguard_shield
faasguard_shield.install()

def handler(event, context):
    try:
        return {"loaded": repr(pickle.loads(base64.b64decode(event["blob"])))}
    except faasguard_shield.ShieldViolation as exc:
        return {"refused": exc.detail}
"""


@pytest.mark.parametrize("mode", MODES)
def test_pickle_loads_of_a_crafted_payload(run, tmp_path: Path, mode: str) -> None:
    marker = tmp_path / "pwned"
    payload = f"cos\nsystem\n(S'touch {marker}'\ntR.".encode()
    result = run(
        PICKLE_HANDLER,
        [{"blob": base64.b64encode(payload).decode()}],
        policy_env({"code": mode, "process": "off", "files": "off"}),
    )
    events = family_events(result, "code")
    if mode == "block":
        assert not marker.exists()
        assert result.result["result"] == {"refused": {"op": "pickle", "target": "os.system"}}
    else:
        assert marker.exists()
    expected = [] if mode == "off" else [{"op": "pickle", "target": "os.system"}]
    assert [e["detail"] for e in events] == expected


def test_ordinary_code_generation_and_safe_pickles_pass(run) -> None:
    source = """
    import base64, collections, dataclasses, datetime, decimal, json, pickle, typing
    import faasguard_shield
    faasguard_shield.install({"code": "block", "files": "block"})

    def handler(event, context):
        Point = collections.namedtuple("Point", "x y")
        Order = dataclasses.make_dataclass("Order", [("id", int), ("total", decimal.Decimal)])
        holder = type("T", (), {"__annotations__": {"a": "typing.List[int]"}})
        hints = typing.get_type_hints(holder, globals())
        when = datetime.datetime(2026, 1, 2)
        data = pickle.dumps({"when": when, "tags": {"a"}, "od": collections.OrderedDict(a=1)}, protocol=2)
        loaded = pickle.loads(data)
        return [Point(1, 2).x, Order(1, decimal.Decimal("2")).id, str(hints["a"]), sorted(loaded)]
    """
    result = run(source)
    assert result.result["result"] == [1, 1, "typing.List[int]", ["od", "tags", "when"]]
    assert family_events(result, "code") == []


def test_native_library_and_module_from_a_writable_folder(run, tmp_path: Path) -> None:
    source = """
    import ctypes, importlib, os, sys
    import faasguard_shield
    faasguard_shield.install({"code": "block", "files": "block"})

    def handler(event, context):
        out = {}
        try:
            ctypes.CDLL("libc.so.6")
            out["dlopen"] = "loaded"
        except faasguard_shield.ShieldViolation as exc:
            out["dlopen"] = exc.detail
        folder = event["folder"]
        os.makedirs(folder)
        with open(os.path.join(folder, "dropped.py"), "w") as handle:
            handle.write("VALUE = 1\\n")
        sys.path.insert(0, folder)
        try:
            importlib.import_module("dropped")
            out["import"] = "imported"
        except faasguard_shield.ShieldViolation as exc:
            out["import"] = exc.detail["op"]
        return out
    """
    result = run(source, [{"folder": str(tmp_path / "downloaded")}])
    assert result.result["result"] == {"dlopen": {"op": "dlopen", "library": "libc.so.6"}, "import": "exec"}
