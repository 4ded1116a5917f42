"""faasguard's reading of SAM agrees with aws-sam-translator's own (offline) transform.

Every folder of `sam_cases/` is a SAM template; the translator's CloudFormation and faasguard's
model must hold the same roles and actions, managed policies, permissions, routes, route auth and
route targets once the accepted differences (`sam_agreement.RULES`) are set aside.

Cases named ``bug_*`` reproduce a faasguard loader bug found this way; `KNOWN_LOADER_BUGS` holds
their exact remaining difference today. Fixing the loader makes such a case agree, and this test
then fails until its entry is deleted: the diff of every case is meant to end up empty.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sam_agreement import (
    EXTERNAL,
    KINDS,
    RULES,
    AnyManagedPolicy,
    Facts,
    Renderer,
    TemplateResult,
    compare,
    compare_template,
    find_sam_templates,
    read_document,
    translate,
)

CASES_DIR = Path(__file__).resolve().parent / "sam_cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "template.yaml").is_file())

# Loader bugs found by this comparison, each reproduced by a bug_* case; all are fixed, so each
# case must now agree exactly (a regression shows up as a non-empty diff).
KNOWN_LOADER_BUGS: dict[str, set[str]] = {
    "bug_managed_policy_path": set(),
    "bug_authorizer_permission": set(),
    "bug_event_auth_with_definition_body": set(),
    "bug_native_routes_on_sam_api": set(),
    "bug_role_named_like_implicit": set(),
    "bug_tracing_passthrough": set(),
    "bug_durable_config": set(),
    "bug_poller_event_policies": set(),
    "bug_stream_on_failure_destination": set(),
    "bug_event_permissions": set(),
    "bug_state_machine_api_event": set(),
    "bug_ref_function_alias": set(),
}

# How many facts each accepted-difference rule sets aside, per case (all others: none).
EXPECTED_ACCEPTED: dict[str, dict[str, int]] = {
    "rest_api_auth": {"sam-cors-preflight": 10},  # 5 OPTIONS routes x (route, route_target)
    "explicit_rest_api": {"sam-cors-preflight": 8},
    "function_urls": {"url-invoke-companion": 1},
    "destinations": {"iam-action-case": 2},  # SAM's sns:publish and faasguard's sns:Publish
}


@pytest.fixture(scope="module")
def results() -> dict[str, TemplateResult]:
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    return {case: compare_template(CASES_DIR / case / "template.yaml", CASES_DIR) for case in CASES}


def _diff(result: TemplateResult) -> set[str]:
    assert result.comparison is not None, f"{result.template}: {result.status} {result.reason}"
    return {str(d) for d in result.comparison.differences}


def test_every_bug_entry_has_its_case() -> None:
    assert set(KNOWN_LOADER_BUGS) <= set(CASES)
    assert {c for c in CASES if c.startswith("bug_")} == set(KNOWN_LOADER_BUGS)
    assert set(EXPECTED_ACCEPTED) <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_case_agrees_with_sam(case: str, results: dict[str, TemplateResult]) -> None:
    assert _diff(results[case]) == KNOWN_LOADER_BUGS.get(case, set())


@pytest.mark.parametrize("case", CASES)
def test_accepted_differences_are_the_expected_ones(case: str, results: dict[str, TemplateResult]) -> None:
    comparison = results[case].comparison
    assert comparison is not None
    assert dict(comparison.accepted) == EXPECTED_ACCEPTED.get(case, {})


def test_agreeing_cases_hold_facts_of_every_kind(results: dict[str, TemplateResult]) -> None:
    """Agreement means something only when both sides produced facts, of every kind."""
    sam_kinds: set[str] = set()
    fg_kinds: set[str] = set()
    for case, result in results.items():
        comparison = result.comparison
        assert comparison is not None
        assert sum(comparison.sam_facts.values()) > 0, case
        if case not in KNOWN_LOADER_BUGS:
            sam_kinds |= {k for k, n in comparison.sam_facts.items() if n}
            fg_kinds |= {k for k, n in comparison.faasguard_facts.items() if n}
    assert sam_kinds == fg_kinds == set(KINDS)


def test_specific_agreements(results: dict[str, TemplateResult]) -> None:
    """Spot checks that the compared facts hold what the cases were written for."""
    assert _diff(results["rest_api_auth"]) == set()
    assert _diff(results["http_api_jwt"]) == set()
    # The compare passes only because both sides hold these; check the translator side directly.
    doc = read_document(CASES_DIR / "rest_api_auth" / "template.yaml")
    from sam_agreement import prepare_for_translator, translator_facts

    path = CASES_DIR / "rest_api_auth" / "template.yaml"
    sam = translator_facts(translate(prepare_for_translator(doc, path, CASES_DIR), {}), {})
    routes = sam.facts["route"]
    assert routes[("ServerlessRestApi", "GET", "/items")] == "cognito"
    assert routes[("ServerlessRestApi", "POST", "/items")] == "iam"
    assert routes[("ServerlessRestApi", "GET", "/health")] == "none"
    assert routes[("ServerlessRestApi", "GET", "/partner")] == "api-key-only"
    assert routes[("ServerlessRestApi", "DELETE", "/items/{id}")] == "cognito+api-key"
    assert routes[("ServerlessRestApi", "ANY", "/proxy/{proxy+}")] == "cognito"
    assert ("ServerlessRestApi", "OPTIONS", "/items") in sam.sam_preflight


# --- offline ----------------------------------------------------------------------------------


def _boto3_forbidden(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("boto3 was called")


def test_translation_needs_no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials, no region, no metadata service, and boto3 never called."""
    import boto3  # type: ignore[import-untyped]
    import boto3.session  # type: ignore[import-untyped]

    for name in (
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    import samtranslator.translator.translator  # noqa: F401 - imported before boto3 is patched

    monkeypatch.setattr(boto3.session.Session, "__init__", _boto3_forbidden)  # also boto3.Session
    monkeypatch.setattr(boto3, "client", _boto3_forbidden)
    monkeypatch.setattr(boto3, "resource", _boto3_forbidden)
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "a.h",
                    "CodeUri": "s3://bucket/key",
                    "Tracing": "Active",
                    "Policies": ["AWSLambdaSQSQueueExecutionRole", "SomeBrandNewPolicy"],
                    "Events": {"Get": {"Type": "Api", "Properties": {"Path": "/", "Method": "get"}}},
                },
            },
            "App": {
                "Type": "AWS::Serverless::Application",
                "Properties": {"Location": "https://example.com/app.yaml"},
            },
        },
    }
    out = translate(template, {})
    role = out["Resources"]["FnRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        # from the translator's bundled map: the path is kept
        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        # not bundled: answered by the offline stand-in for IAM ListPolicies
        "arn:aws:iam::aws:policy/SomeBrandNewPolicy",
    ]


def test_any_managed_policy_answers_every_name() -> None:
    names = AnyManagedPolicy()
    assert bool(names)
    assert names.get("X") == "arn:aws:iam::aws:policy/X"
    assert names["Y"] == "arn:aws:iam::aws:policy/Y"


def test_rejected_template_is_counted_not_compared(tmp_path: Path) -> None:
    bad = tmp_path / "template.yaml"
    bad.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: a.h\n"
        "      Events:\n"
        "        Broken:\n"
        "          Type: NoSuchEventType\n",
        encoding="utf-8",
    )
    result = compare_template(bad, tmp_path)
    assert result.status == "translator-rejected"
    assert result.comparison is None


def test_find_sam_templates_skips_build_output(tmp_path: Path) -> None:
    sam = "Transform: AWS::Serverless-2016-10-31\nResources: {}\n"
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "template.yaml").write_text(sam, encoding="utf-8")
    (tmp_path / "app" / ".aws-sam").mkdir()
    (tmp_path / "app" / ".aws-sam" / "template.yaml").write_text(sam, encoding="utf-8")
    (tmp_path / "app" / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_sam_templates(tmp_path)]
    assert found == ["app/template.yaml"]


# --- the comparison itself --------------------------------------------------------------------


def _facts(**kinds: dict[tuple[str, ...], str]) -> Facts:
    out = Facts()
    for kind, entries in kinds.items():
        for key, value in entries.items():
            out.add(kind, key, value)
    return out


def test_compare_reports_missing_extra_and_changed() -> None:
    sam = _facts(
        role={("Fn",): "FnRole"},
        action={("Fn", "s3:GetObject"): ""},
        route={("Api", "GET", "/a"): "cognito"},
    )
    fg = _facts(
        role={("Fn",): EXTERNAL},
        action={("Fn", "s3:PutObject"): ""},
        route={("Api", "GET", "/a"): "none"},
    )
    diffs = {str(d) for d in compare(sam, fg).differences}
    assert diffs == {
        "changed role Fn: sam=FnRole faasguard=<external>",
        "missing action Fn s3:GetObject",
        "extra action Fn s3:PutObject",
        "changed route Api GET /a: sam=cognito faasguard=none",
    }


def test_preflight_rule_keeps_options_routes_faasguard_models() -> None:
    key = ("Api", "OPTIONS", "/a")
    sam = _facts(route={key: "none"}, route_target={key: "-"})
    sam.sam_preflight.add(key)
    assert compare(sam, Facts()).differences == []
    fg = _facts(route={key: "cognito"}, route_target={key: "-"})
    assert [str(d) for d in compare(sam, fg).differences] == [
        "changed route Api OPTIONS /a: sam=none faasguard=cognito"
    ]


def test_conditional_and_intrinsic_rules() -> None:
    sam = _facts(role={("Dev",): "DevRole"}, action={("Fn", "s3:GetObject"): ""})
    sam.conditional.add(("role", ("Dev",)))
    sam.opaque_roles.add("Fn")
    fg = _facts(action={("Fn", "s3:GetObject"): "", ("Fn", "s3:PutObject"): ""})
    comparison = compare(sam, fg)
    assert comparison.differences == []
    assert dict(comparison.accepted) == {"conditional-resource": 1, "unevaluated-intrinsic": 1}
    # Without the rules both facts are differences.
    assert len(compare(sam, fg, rules=()).differences) == 2


def test_rules_have_unique_names_and_a_reason() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.why for r in RULES)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"Ref": "AWS::Partition"}, "aws"),
        ({"Ref": "AWS::Region"}, "${AWS::Region}"),
        ({"Ref": "Stage"}, "prod"),
        ({"Ref": "Table"}, "${Table}"),
        ({"Ref": "NoDefault"}, None),
        ({"Fn::GetAtt": ["Fn", "Arn"]}, "${Fn.Arn}"),
        ({"Fn::GetAtt": "Fn.Arn"}, "${Fn.Arn}"),
        (
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Stage}-${Table}/${!Literal}"},
            "arn:aws:s3:::prod-${Table}/${Literal}",
        ),
        ({"Fn::Sub": ["${x}:${NoDefault}", {"x": {"Fn::GetAtt": ["Fn", "Arn"]}}]}, "${Fn.Arn}:${NoDefault}"),
        ({"Fn::Join": ["/", ["integrations", {"Ref": "Integ"}]]}, "integrations/${Integ}"),
        ({"Fn::If": ["C", "a", "b"]}, None),
        (True, "true"),
    ],
)
def test_renderer(value: object, text: str | None) -> None:
    renderer = Renderer({"Stage": "prod"}, {"Table": {}, "Fn": {}, "Integ": {}})
    assert renderer.text(value) == text
