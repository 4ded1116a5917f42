"""The per-service facts of botocore's and boto3's models (sdk_index.py) and their cache on disk.

The facts must be exactly what the whole models say, read partially or not, cached or not; a
cache entry that does not read back exactly is ignored and rebuilt.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name  # type: ignore[import-untyped]

from faasguard.analysis.iam import sdk_index, sdk_map

# s3 and secretsmanager have sdk-extras merged into their models, pinpoint's documentation comes
# before its operations, apigatewaymanagementapi has no "version", apigateway's verbs are read.
SERVICES = ("s3", "secretsmanager", "pinpoint", "apigatewaymanagementapi", "apigateway", "dynamodb", "ec2")


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FAASGUARD_NO_CACHE", raising=False)
    monkeypatch.delenv("AWS_DATA_PATH", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folder = sdk_index.cache_folder()
    assert folder is not None
    return folder


def _from_whole_model(service: str) -> sdk_index.ServiceFacts:
    import botocore.loaders  # type: ignore[import-untyped]

    model = botocore.loaders.create_loader().load_service_model(service, "service-2")
    meta = model["metadata"]
    ops = tuple(
        (op, xform_name(op), str(spec.get("http", {}).get("method", "GET")).upper())
        for op, spec in model["operations"].items()
    )
    return sdk_index.ServiceFacts(str(meta.get("signingName") or meta.get("endpointPrefix") or service), ops)


def _entry(folder: Path, service: str, kind: str = "service-2") -> Path:
    return folder / f"{service}.{kind}.json"


# --- the facts are the models' ------------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_facts_equal_the_whole_model_s(service: str, cache_home: Path) -> None:
    want = _from_whole_model(service)
    assert sdk_index.service_facts(service) == want  # built (partial reading), then written
    assert _entry(cache_home, service).is_file()
    assert sdk_index.service_facts(service) == want  # read back


def test_facts_without_the_cache_equal_the_whole_model_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    assert sdk_index.cache_folder() is None
    assert sdk_index.service_facts("s3") == _from_whole_model("s3")


def test_waiters_and_resource_models_equal_the_models(cache_home: Path) -> None:
    import botocore.loaders
    from boto3.session import Session  # type: ignore[import-untyped]

    raw = botocore.loaders.create_loader().load_service_model("s3", "waiters-2")["waiters"]
    want = tuple((n, xform_name(n), w["operation"]) for n, w in raw.items())
    assert ("BucketExists", "bucket_exists", "HeadBucket") in want
    resources = json.dumps(Session()._loader.load_service_model("dynamodb", "resources-1"))
    for _ in range(2):  # built, then read back
        assert sdk_index.waiters("s3") == want
        assert json.dumps(sdk_index.resource_model("dynamodb")) == resources
    assert _entry(cache_home, "s3", "waiters-2").is_file()
    assert _entry(cache_home, "dynamodb", "resources-1").is_file()
    assert sdk_index.waiters("sts") == ()  # no waiters-2 model
    assert sdk_index.resource_model("lambda") is None  # no resources-1 model
    assert json.loads(_entry(cache_home, "lambda", "resources-1").read_bytes().split(b"\n", 1)[1]) is None


def test_an_unknown_service_has_no_facts_and_that_is_cached(cache_home: Path) -> None:
    assert sdk_index.service_facts("no-such-service") is None
    assert _entry(cache_home, "no-such-service").is_file()
    assert sdk_index.service_facts("no-such-service") is None
    assert (
        sdk_map.map_operation("no-such-service", "Get").problem
        == "no botocore model for service 'no-such-service'"
    )


@pytest.mark.parametrize("service", ["S3", "../s3", "s3/x", ""])
def test_names_botocore_does_not_use_are_never_cached(service: str, cache_home: Path) -> None:
    assert sdk_index.service_facts(service) is None
    assert not cache_home.exists() or list(cache_home.iterdir()) == []


# --- the cache ---------------------------------------------------------------------------------------


def test_the_cache_is_keyed_by_botocore_and_boto3_versions(tmp_path: Path, cache_home: Path) -> None:
    import boto3  # type: ignore[import-untyped]
    import botocore

    versions = f"botocore-{botocore.__version__}-boto3-{boto3.__version__}"
    assert cache_home == tmp_path / "cache" / "faasguard" / "sdk-models" / f"sdk-index-1-{versions}"


def test_a_warm_entry_is_read_without_the_models(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = sdk_index.service_facts("dynamodb")
    assert want is not None and ("PutItem", "put_item", "POST") in want.operations

    def no_models(service: str) -> tuple[Any, bool]:
        raise AssertionError("the models were read")

    monkeypatch.setattr(sdk_index, "_build_service", no_models)
    assert sdk_index.service_facts("dynamodb") == want


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "garbage",
        "body changed",
        "other service",
        "other format",
        "wrong shape",
        "directory",
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(damage: str, cache_home: Path) -> None:
    want = sdk_index.service_facts("sqs")
    path = _entry(cache_home, "sqs")
    good = path.read_bytes()
    head, body = good.split(b"\n", 1)
    header = json.loads(head)

    def rehash(new_body: bytes, **changes: str) -> bytes:
        import hashlib

        fields = {**header, **changes, "sha256": hashlib.sha256(new_body).hexdigest()}
        return json.dumps(fields).encode() + b"\n" + new_body

    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff not json")
    elif damage == "body changed":
        path.write_bytes(head + b"\n" + body.replace(b"SendMessage", b"SendMassage"))
    elif damage == "other service":
        path.write_bytes(rehash(body, service="sns"))
    elif damage == "other format":
        path.write_bytes(rehash(body, format="sdk-index-0"))
    elif damage == "wrong shape":
        path.write_bytes(rehash(b'{"prefix": "sqs", "operations": [["SendMessage", 1, "POST"]]}'))
    else:
        path.unlink()
        path.mkdir()
    assert sdk_index.service_facts("sqs") == want
    if damage != "directory":
        assert path.read_bytes() == good  # rebuilt and written again


def test_no_cache_reads_and_writes_nothing(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sdk_index.service_facts("sns")
    path = _entry(cache_home, "sns")
    path.write_bytes(b"damaged")
    monkeypatch.setenv("FAASGUARD_NO_CACHE", "1")
    assert sdk_index.service_facts("sns") == _from_whole_model("sns")
    assert sdk_index.service_facts("kinesis") is not None
    assert path.read_bytes() == b"damaged"
    assert not _entry(cache_home, "kinesis").exists()


def test_models_from_elsewhere_turn_the_cache_off(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path / "models"))
    assert sdk_index.cache_folder() is None
    monkeypatch.delenv("AWS_DATA_PATH")
    config = tmp_path / "aws-config"
    config.write_text("[default]\ndata_path = /somewhere\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert sdk_index.cache_folder() is None
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    (tmp_path / "home" / ".aws" / "models").mkdir(parents=True)
    assert sdk_index.cache_folder() is None
    (tmp_path / "home" / ".aws" / "models").rmdir()
    assert sdk_index.cache_folder() == cache_home


def test_an_unwritable_cache_still_gives_the_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("FAASGUARD_NO_CACHE", raising=False)
    assert sdk_index.service_facts("sts") == _from_whole_model("sts")


def test_writes_leave_no_temporary_files(cache_home: Path) -> None:
    for service in ("lambda", "logs", "events"):
        sdk_index.service_facts(service)
    assert sorted(p.name for p in cache_home.iterdir()) == [
        "events.service-2.json",
        "lambda.service-2.json",
        "logs.service-2.json",
    ]


# --- reading part of a JSON document --------------------------------------------------------------


DOC = (
    '{"version": 2.25, "n": 12345, "metadata": {"a": [1, 2.5e3, "x\\"}"]},\n'
    ' "operations": {"Op": {"http": {"method": "POST"}}}, "shapes": {"S": {}}, "t": true}'
)


@pytest.mark.parametrize(
    ("wanted", "last"),
    [({"n", "metadata", "operations"}, "operations"), ({"version"}, "version"), ({"n"}, "n"), ({"t"}, "t")],
)
def test_every_prefix_gives_nothing_or_the_whole_answer(wanted: set[str], last: str) -> None:
    """A prefix ending inside a value (`2.` of `2.25`, `12` of `12345`) is never taken for it."""
    full = json.loads(DOC)
    keys = list(full)
    want = {k: full[k] for k in keys[: keys.index(last) + 1]}
    assert sdk_index._members(DOC, frozenset(wanted), True) == want
    for cut in range(len(DOC)):
        got = sdk_index._members(DOC[:cut], frozenset(wanted), False)
        assert got is None or got == want, cut


@pytest.mark.parametrize("size", [1, 2, 7, 4096])
def test_read_keys_stops_once_it_has_the_keys(size: int) -> None:
    class Chunks(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            return super().read(min(size, n if n is not None and n >= 0 else size))

    body = DOC.encode() + b" ]] not JSON"  # json.loads would refuse it: parsing stops before
    got = sdk_index.read_keys(Chunks(body), frozenset({"operations"}))
    assert got["operations"] == {"Op": {"http": {"method": "POST"}}}
    assert "shapes" not in got


@pytest.mark.parametrize("text", ["[1, 2]", '{"a": 1', '{"a" 1}', '{"a": 1 "b": 2}', "", '{"a": 1,}'])
def test_read_keys_refuses_what_is_not_such_an_object(text: str) -> None:
    with pytest.raises(ValueError):
        sdk_index.read_keys(io.BytesIO(text.encode()), frozenset({"b"}))


def test_a_missing_key_reads_the_whole_object() -> None:
    got = sdk_index.read_keys(io.BytesIO(DOC.encode()), frozenset({"absent"}))
    assert got == json.loads(DOC)
