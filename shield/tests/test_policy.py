"""The policy: dict, environment and file forms, defaults, and loud errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faasguard_shield import CodePolicy, NetworkPolicy, Policy, PolicyError, ProcessPolicy
from faasguard_shield._rules import compile_policy, parse_network_entry


def test_defaults() -> None:
    policy = Policy()
    assert policy.modes() == {
        "process": "block",
        "network": "alert",
        "files": "block",
        "code": "alert",
        "tamper": "block",
    }
    assert policy.files.write == ("/tmp", "/dev/null") and policy.files.read == ("/",)
    assert policy.network.aws and policy.network.lambda_local
    with pytest.raises(AttributeError):
        policy.process = ProcessPolicy(mode="off")  # type: ignore[misc]


def test_the_issue_s_dict_form_and_left_out_families_keep_their_defaults() -> None:
    policy = Policy.coerce(
        {
            "process": "block",
            "network": {"mode": "alert", "allow": ["*.amazonaws.com:443"]},
            "files": {"mode": "block", "write": ["/tmp"]},
            "code": "alert",
        }
    )
    assert policy.network == NetworkPolicy(mode="alert", allow=("*.amazonaws.com:443",))
    assert policy.files.write == ("/tmp",) and policy.files.read == ("/",)
    assert Policy.from_dict({"code": "block"}).process == Policy().process
    assert Policy.from_dict(policy.to_dict()) == policy
    assert json.loads(json.dumps(policy.to_dict())) == policy.to_dict()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"proces": "block"}, "unknown policy key 'proces'"),
        ({"process": "deny"}, "not one of off, alert, block"),
        ({"network": {"allowed": []}}, "unknown key 'allowed'"),
        ({"network": {"allow": ["http://x.com"]}}, "not a URL"),
        ({"network": {"allow": ["10.0.0.0/33"]}}, "not a prefix length"),
        ({"network": {"allow": ["bad_host!"]}}, "not a valid host name"),
        ({"network": {"allow": ["x.com:99999"]}}, "not a port"),
        ({"network": {"aws": "yes"}}, "expected true or false"),
        ({"files": {"write": ["tmp"]}}, "not an absolute path"),
        ({"files": {"write": ["/tmp/../etc"]}}, "must not contain '..'"),
        ({"files": {"read": ["/proc/*"]}}, "only understood in files.deny"),
        ({"code": {"pickle": ["os"]}}, "not module.Name"),
        ({"code": {"allow": ["jinja2!"]}}, "not a module name"),
        ({"max_events": -1}, "not a count"),
        ({"process": {"allow": ["bin/sh"]}}, "neither a program name nor an absolute path"),
    ],
)
def test_mistakes_are_errors(data: dict, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy.from_dict(data)


def test_environment() -> None:
    env = {
        "FAASGUARD_SHIELD_POLICY": json.dumps({"process": "alert", "network": {"allow": ["a.example:443"]}}),
        "FAASGUARD_SHIELD_NETWORK": "block",
        "FAASGUARD_SHIELD_NETWORK_ALLOW": "api.example.com:443, *.example.org",
        "FAASGUARD_SHIELD_NETWORK_AWS": "false",
        "FAASGUARD_SHIELD_NETWORK_EXTENSION_PORTS": "2773 4318",
        "FAASGUARD_SHIELD_FILES_WRITE": "/tmp,/mnt/efs",
        "FAASGUARD_SHIELD_CODE_ALLOW": "jinja2",
        "FAASGUARD_SHIELD_TAMPER": "alert",
        "FAASGUARD_SHIELD_MAX_EVENTS": "20",
        "UNRELATED": "x",
    }
    policy = Policy.from_env(env)
    assert policy.process.mode == "alert"
    assert policy.network == NetworkPolicy(
        mode="block", allow=("api.example.com:443", "*.example.org"), aws=False, extension_ports=(2773, 4318)
    )
    assert policy.files.write == ("/tmp", "/mnt/efs")
    assert policy.code == CodePolicy(allow=("jinja2",))
    assert (policy.tamper, policy.max_events) == ("alert", 20)
    assert Policy.from_env({}) == Policy()
    with pytest.raises(PolicyError, match="unknown variable FAASGUARD_SHIELD_NETWRK"):
        Policy.from_env({"FAASGUARD_SHIELD_NETWRK": "block"})
    with pytest.raises(PolicyError, match="FAASGUARD_SHIELD_POLICY is not JSON"):
        Policy.from_env({"FAASGUARD_SHIELD_POLICY": "{"})


def test_file(tmp_path: Path) -> None:
    path = tmp_path / "shield.json"
    path.write_text(json.dumps({"files": {"mode": "alert", "deny": ["/mnt/secrets"]}}))
    assert Policy.from_file(path).files.deny == ("/mnt/secrets",)
    assert (
        Policy.from_env(
            {"FAASGUARD_SHIELD_POLICY_FILE": str(path), "FAASGUARD_SHIELD_FILES": "block"}
        ).files.mode
        == "block"
    )
    with pytest.raises(PolicyError, match="cannot read the policy file"):
        Policy.from_file(tmp_path / "missing.json")


def test_network_entries() -> None:
    assert parse_network_entry("api.example.com:443") == ("name", (0, "api.example.com", 443))
    assert parse_network_entry("*.Example.COM.") == ("name", (1, ".example.com", -1))
    assert parse_network_entry("*:443") == ("name", (2, "", 443))
    assert parse_network_entry("10.0.0.0/8:5432") == ("ip", (4, 10 << 24, 0xFF000000, 5432))
    assert parse_network_entry("[::1]:8080")[1][:2] == (6, 1)
    assert parse_network_entry("unix:/var/run/app.sock") == ("unix", "/var/run/app.sock")


def test_lambda_defaults_are_compiled_from_the_environment() -> None:
    env = {
        "AWS_REGION": "eu-west-1",
        "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
    }
    names, ips, _unix = compile_policy(Policy(), env).network
    assert (1, ".eu-west-1.amazonaws.com", 443) in names
    assert (4, (169 << 24) + (254 << 16) + (79 << 8) + 129, 0xFFFFFFFF, 2000) in ips
    assert (4, 0x7F000001, 0xFFFFFFFF, 9001) in ips
    names, ips, _unix = compile_policy(
        Policy.from_dict({"network": {"aws": False, "lambda_local": False}}), env
    ).network
    assert names == () and ips == ()
    assert (0, "s3.amazonaws.com", 443) in compile_policy(Policy(), {"AWS_REGION": "us-east-1"}).network[0]
