"""Bugs the fuzzers and the hostile suite found, one test each (the minimal input that found it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_checks import assert_sound, deadline

from faasguard.analysis.deps import python as py_deps
from faasguard.api import ScanOptions, scan
from faasguard.loaders.nodes import LMap
from faasguard.loaders.reader import parse_json

FUNCTION_URL = (
    '{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": {"Type": "AWS::Serverless::Function",'
    ' "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "Description": "%s",'
    ' "FunctionUrlConfig": {"AuthType": "NONE"}}}}}'
)


def _scan(root: Path) -> list[tuple[str, str]]:
    result = scan(root, ScanOptions(use_config=False))
    assert_sound(result, validate_sarif=True)
    return [(f.rule, f.location.path) for f in result.findings]


@pytest.mark.parametrize("where", ["template.json", "cdk.out/Stack.template.json"])
def test_json_only_the_json_module_reads_loads_as_a_template(tmp_path: Path, where: str) -> None:
    # A DEL character is valid in a JSON string but not in YAML: the reader falls back to the json
    # module, whose plain dicts reached the CloudFormation loader's `assert isinstance(doc, LMap)`.
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FUNCTION_URL % "\x7f")
    assert ("FG-AUTH-003", where) in _scan(tmp_path)
    doc = parse_json(FUNCTION_URL % "\x7f")
    assert isinstance(doc, LMap) and isinstance(doc["Resources"]["Fn"], LMap)


@pytest.mark.parametrize("text", ['"\x7f"', '["\x7f", 1, null]', '{"a": ["\x7f", {}]}'])
def test_json_fallback_of_any_shape(text: str) -> None:
    # A top-level string (`${file(x.json)}` of a file holding `"\x7f"`) was walked like a list.
    doc = parse_json(text)
    assert doc == json.loads(text)


def test_json_fallback_keeps_the_depth_bound() -> None:
    from faasguard.limits import Limits
    from faasguard.loaders.reader import ReadFailure

    deep = '{"a": ' * 300 + '"\x7f"' + "}" * 300
    with pytest.raises(ReadFailure) as info:
        parse_json(deep, "x.json", Limits(max_depth=200))
    assert info.value.kind == "bound"


@pytest.mark.skipif(os.name != "posix", reason="undecodable file names")
def test_undecodable_bytes_in_a_folder_name(tmp_path: Path) -> None:
    # The folder name becomes a string with lone surrogates: hashing the fingerprint (engine) and
    # percent-encoding the SARIF URI both raised UnicodeEncodeError out of the scan.
    folder = os.path.join(os.fsencode(tmp_path), b"app\xff\xfe")
    os.mkdir(folder)
    with open(os.path.join(folder, b"template.json"), "w") as fh:
        fh.write(FUNCTION_URL % "x")
    found = _scan(tmp_path)
    assert ("FG-AUTH-003", "app\udcff\udcfe/template.json") in found
    from faasguard.report import sarif

    result = scan(tmp_path, ScanOptions(use_config=False))
    assert "app%FF%FE/template.json" in sarif.render(result, None)


def test_binary_template_without_nul_bytes_is_reported(tmp_path: Path) -> None:
    # Discovery skipped it silently: no candidate (no `AWS::`), and no error either.
    (tmp_path / "template.yaml").write_bytes(bytes((i * 7919) % 251 + 1 for i in range(5000)))
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert [(e.path, e.kind) for e in result.errors] == [("template.yaml", "parse")]
    assert "not a text template" in result.errors[0].message


@pytest.mark.parametrize(
    "text",
    [
        '{"_meta": {"sources": [{"url": "https://pypi.org/simple"}]}, "default": " "}',
        '{"_meta": "x", "default": {"requests": {"version": "==2.19.0"}}}',
        '{"_meta": {"sources": "x"}, "default": []}',
    ],
)
def test_pipfile_lock_of_any_shape(text: str) -> None:
    out = py_deps.parse_pipfile_lock("Pipfile.lock", text)
    assert out.errors == []


def test_yarn_lock_header_without_a_key() -> None:
    # A header that is only ":" gave an entry with no keys: IndexError out of the parser.
    from faasguard.analysis.deps import npm

    out = npm.parse_yarn_lock(
        "yarn.lock", '# yarn lockfile v1\n\na@^1:\n  version "1.0.0"\n:\n  version "2"\n'
    )
    assert [p.name for p in out.packages] == ["a"]
    assert [(e.line, e.kind) for e in out.errors] == [(5, "parse")]


def test_requirement_includes_are_budgeted() -> None:
    # Every `-r` was followed once per path: a file including the next one 48 times, ten levels
    # deep, is 48**10 parses (the long fuzz profile hung on it).
    def read(rel: str) -> str:
        return "-r d/r.txt\n" * 48 + "flask\n"  # d/r.txt, then d/d/r.txt, ...

    with deadline(5):
        out = py_deps.parse_requirements("r.txt", read("r.txt"), read)
    assert {e.kind for e in out.errors} == {"bound"}
    assert len(out.packages) <= py_deps.MAX_INCLUDES + 1


def test_maps_as_keys_nested_deeply_stay_small() -> None:
    # `{ {a: b}: c }`: a map as a key is named by its JSON, and the JSON of a key holding a key
    # re-escapes it, doubling at each level: 30 levels of `{` wanted 3 GB (the long fuzz profile's
    # MemoryError, from a mutated template).
    from faasguard.loaders.reader import parse_yaml

    text = "{\n" * 60 + '"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}\n' + "}\n" * 60
    with deadline(5):
        doc = parse_yaml(text)[0]
    key = next(iter(doc))
    assert len(key) <= 1024


def test_http_api_event_given_an_empty_string(tmp_path: Path) -> None:
    # `- httpApi: ''` (or a variable resolving to '') split into no parts: IndexError in the loader.
    (tmp_path / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n"
        "functions:\n  f:\n    handler: h.main\n    events:\n      - httpApi: ''\n      - http: ''\n"
    )
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert_sound(result)
    assert result.coverage.functions == 1


def test_yarn_lock_with_an_unclosed_ipv6_bracket_in_a_url() -> None:
    # `resolved "https://[registry..."`: urlparse raised ValueError out of the lockfile parser.
    from faasguard.analysis.deps.model import public_url

    assert public_url("https://[registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz") is False
    assert public_url("https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz") is True
