"""The reviewed table of packages that call AWS for the function (data/iam_sdk_wrappers.json)."""

from __future__ import annotations

import json
from pathlib import Path

from faasguard.analysis.iam import sdk_map, wrappers
from faasguard.analysis.iam.actions import lookup

DATA = Path(wrappers.__file__).resolve().parents[2] / "data" / "iam_sdk_wrappers.json"


def test_every_row_is_reviewed_against_a_source() -> None:
    table = json.loads(DATA.read_text(encoding="utf-8"))
    for ecosystem in ("python", "node"):
        modules = [row["module"] for row in table[ecosystem]]
        assert len(modules) == len(set(modules)), ecosystem
        for row in table[ecosystem]:
            assert row["calls"] in (wrappers.HIDDEN, wrappers.NONE, wrappers.MODELLED), row
            assert str(row["source"]).startswith("https://"), row
            assert row["why"], row
            assert bool(row.get("members")) is (row["calls"] == wrappers.MODELLED), row
    for row in [*table["layers"], *table["forwarded"]["rows"]]:
        assert str(row["source"]).startswith("https://"), row


def test_modelled_members_run_real_operations() -> None:
    table = json.loads(DATA.read_text(encoding="utf-8"))
    for ecosystem in ("python", "node"):
        for row in table[ecosystem]:
            for name, member in row.get("members", {}).items():
                for op in member["operations"]:
                    mapped = sdk_map.map_operation(member["service"], op)
                    assert mapped.problem is None, (row["module"], name, op)
    for row in table["forwarded"]["rows"]:
        assert sdk_map.map_operation(row["service"], row["operation"]).problem is None, row
        for extra in row.get("actions", ()):
            assert lookup(extra["action"]) is not None, extra


def test_lookup_takes_the_longest_listed_prefix() -> None:
    got = wrappers.lookup("python", "aws_lambda_powertools.utilities.parameters.get_parameter")
    assert got is not None and got[0].calls == wrappers.MODELLED and got[1] == "get_parameter"
    got = wrappers.lookup("python", "aws_lambda_powertools.Logger")
    assert got is not None and got[0].calls == wrappers.NONE
    got = wrappers.lookup("python", "aws_lambda_powertools.utilities.streaming.S3Object")
    assert got is not None and got[0].calls == wrappers.HIDDEN
    got = wrappers.lookup("javascript", "@aws-lambda-powertools/parameters/ssm.getParameter")
    assert got is not None and got[0].module == "@aws-lambda-powertools/parameters/ssm"
    got = wrappers.lookup("javascript", "@aws-lambda-powertools/parameters/appconfig")
    assert got is not None and got[0].calls == wrappers.HIDDEN
    assert wrappers.lookup("javascript", "forecast.io") is None
    assert wrappers.lookup("python", "requests.get") is None


def test_sdk_distributions() -> None:
    assert wrappers.is_sdk_distribution("PyPI", "botocore")
    assert wrappers.is_sdk_distribution("npm", "@aws-sdk/client-dynamodb")
    assert not wrappers.is_sdk_distribution("npm", "@aws-sdk/types")
    assert not wrappers.is_sdk_distribution("PyPI", "requests")


def test_extension_layers() -> None:
    arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12"
    assert (wrappers.layer_reason(arn) or "").startswith("layer AWS-Parameters-and-Secrets")
    assert (
        wrappers.layer_reason("arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7")
        is None
    )
    assert wrappers.layer_reason(None) is None
