"""Code running later in the function (here: eval'd event data, the code family only alerting)
tries every way we know to loosen the installed policy. None of them may work."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FAKE_SECRET

HANDLER = """
import faasguard_shield
faasguard_shield.install()

def handler(event, context):
    scope = {"MARKER": event["marker"]}
    exec(event["payload"], scope)
    return scope["results"]
"""

# What an attacker's payload tries, each attempt recorded: the exception it met, or what it got.
PAYLOAD = r"""
import builtins, gc, importlib, os, posixpath, socket, sys
import faasguard_shield
import faasguard_shield._hook as hook_module
results = {}

def attempt(name, action):
    try:
        value = action()
        results[name] = "ran" if value is None else value
    except Exception as exc:
        results[name] = type(exc).__name__

def system_blocked():
    try:
        os.system("echo pwned >> " + MARKER)
        return False
    except PermissionError:
        return True

attempt("install_looser", lambda: faasguard_shield.install({"process": "off"}))

def env_and_reload():
    os.environ["FAASGUARD_SHIELD_PROCESS"] = "off"
    return importlib.reload(faasguard_shield).install()
attempt("env_and_reload", env_and_reload)

def mutate_policy_object():
    policy = faasguard_shield.current_policy()
    object.__setattr__(policy, "process", faasguard_shield.ProcessPolicy(mode="off"))
    object.__setattr__(policy.files, "mode", "off")
    return system_blocked()
attempt("mutate_policy_object", mutate_policy_object)

def patch_module_globals():
    for name, value in list(vars(hook_module).items()):
        if callable(value) and not name.startswith("__"):
            setattr(hook_module, name, lambda *a, **k: None)
    hook_module.EVENTS.clear()
    return system_blocked()
attempt("patch_module_globals", patch_module_globals)

def patch_builtins_and_os():
    saved = builtins.issubclass, builtins.len, os.getcwd, posixpath.normpath
    builtins.issubclass = lambda *a: False
    builtins.len = lambda *a: 0
    os.getcwd = lambda: "/tmp"
    posixpath.normpath = lambda path: "/tmp/x"
    try:
        blocked = system_blocked()
        try:
            open("/proc/self/environ").read()
            read_blocked = False
        except PermissionError:
            read_blocked = True
    finally:
        builtins.issubclass, builtins.len, os.getcwd, posixpath.normpath = saved
    return [blocked, read_blocked]
attempt("patch_builtins_and_os", patch_builtins_and_os)

attempt("gc_get_objects", lambda: len(gc.get_objects()))
attempt("gc_get_referrers", lambda: len(gc.get_referrers(socket.getaddrinfo)))
attempt("gc_get_referents", lambda: len(gc.get_referents(socket.getaddrinfo)))
attempt("current_frames", lambda: len(sys._current_frames()))
attempt("settrace", lambda: sys.settrace(lambda *a: None))
attempt("setprofile", lambda: sys.setprofile(lambda *a: None))
attempt("read_kwdefaults", lambda: repr(socket.getaddrinfo.__kwdefaults__))
attempt("replace_code", lambda: setattr(socket.getaddrinfo, "__code__", (lambda *a, **k: []).__code__))

def add_audit_hook():
    seen = []
    sys.addaudithook(lambda event, args: seen.append(event))
    sys.audit("faasguard_shield_test.ping")
    return "added" if seen else "not added"
attempt("add_audit_hook", add_audit_hook)

def walk_traceback():
    try:
        os.system("true")
    except PermissionError as exc:
        frames = []
        tb = exc.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_code.co_name == "faasguard_shield_audit_hook":
                frames.append({"locals": sorted(frame.f_locals),
                               "globals": sorted(k for k in frame.f_globals if k != "__builtins__")})
            tb = tb.tb_next
        return frames
attempt("walk_traceback", walk_traceback)

def swap_sys_modules():
    sys.modules["faasguard_shield"] = None
    sys.modules["faasguard_shield._hook"] = None
    return system_blocked()
attempt("swap_sys_modules", swap_sys_modules)

results["still_blocked"] = system_blocked()
try:
    open("/proc/self/environ").read()
    results["environ"] = "read"
except PermissionError:
    results["environ"] = "blocked"
"""


def test_eval_d_code_cannot_loosen_the_policy(run, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    policy = {"process": "block", "files": "block", "code": "alert", "network": "block"}
    result = run(
        HANDLER,
        [{"marker": str(marker), "payload": PAYLOAD}],
        {"FAASGUARD_SHIELD_POLICY": json.dumps(policy)},
    )
    out = result.result["result"]
    assert not marker.exists()
    assert out.pop("walk_traceback") == [{"locals": ["args", "event", "exc", "found", "spec"], "globals": []}]
    assert out == {
        "install_looser": "ShieldViolation",
        "env_and_reload": "ShieldViolation",
        "mutate_policy_object": True,
        "patch_module_globals": True,
        "patch_builtins_and_os": [True, True],
        "gc_get_objects": "ShieldViolation",
        "gc_get_referrers": "ShieldViolation",
        "gc_get_referents": "ShieldViolation",
        "current_frames": "ShieldViolation",
        "settrace": "ShieldViolation",
        "setprofile": "ShieldViolation",
        "read_kwdefaults": "ShieldViolation",
        "replace_code": "ShieldViolation",
        "add_audit_hook": "not added",
        "swap_sys_modules": True,
        "still_blocked": True,
        "environ": "blocked",
    }
    tamper = [e["detail"]["op"] for e in result.events if e["family"] == "tamper"]
    for op in (
        "install",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "sys._current_frames",
        "sys.settrace",
        "sys.setprofile",
        "read",
        "write",
        "sys.addaudithook",
    ):
        assert op in tamper
    code = [e for e in result.events if e["family"] == "code"]
    assert {"op": "compile", "caller": "handler.py", "line": 7} in [e["detail"] for e in code]
    assert all(e["kind"] == "alert" for e in code)  # reloading the shield from a writable folder is one too
    assert FAKE_SECRET not in result.stdout


def test_install_is_idempotent(run) -> None:
    source = """
    import faasguard_shield
    first = faasguard_shield.install({"process": "block"})
    second = faasguard_shield.install({"process": "block"})
    third = faasguard_shield.install(faasguard_shield.Policy.from_dict({"process": "block"}))

    def handler(event, context):
        return [first == second == third == faasguard_shield.current_policy(), first.process.mode]
    """
    result = run(source)
    assert result.result["result"] == [True, "block"]
    assert [e["kind"] for e in result.events] == ["installed"]


def test_tamper_family_can_be_relaxed(run) -> None:
    source = """
    import gc
    import faasguard_shield
    faasguard_shield.install({"tamper": "alert"})

    def handler(event, context):
        return len(gc.get_objects()) > 0
    """
    result = run(source)
    assert result.result["result"] is True
    assert [(e["kind"], e["detail"]["op"]) for e in result.events if e["family"] == "tamper"] == [
        ("alert", "gc.get_objects")
    ]


def test_guard_can_install_the_policy(run) -> None:
    source = """
    import os
    import faasguard_shield

    @faasguard_shield.guard(policy={"process": "block", "files": "off"})
    def handler(event, context):
        os.system("true")
    """
    result = run(source, [{"requestContext": {"elb": {}}, "httpMethod": "GET", "path": "/"}])
    assert result.result["result"]["statusCode"] == 500
    assert result.result["result"]["statusDescription"] == "500 Internal Server Error"
    assert [e["kind"] for e in result.events] == ["installed", "block", "summary"]
    assert result.events[-1]["detail"]["outcome"] == "blocked"
