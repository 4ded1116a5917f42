"""`faasguard policy` end to end: real templates and real code through the needs analysis.

The fixtures are the FG-IAM-009..011 rule cases (tests/rules/), whose code and templates were
written for this; each expected policy below was worked out by hand from the code.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from faasguard import cli

HERE = Path(__file__).resolve().parent
RULES = HERE.parent / "rules"
PUT_ON_STAR = RULES / "FG-IAM-010" / "fail_sam_put_on_star"
SHARED_ROLE = RULES / "FG-IAM-009" / "fail_serverless_shared_role"
REPORT = RULES / "FG-IAM-009" / "fail_terraform_service_wildcard"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.main, ["policy", *map(str, args)])


def test_missing_path_is_a_usage_error() -> None:
    got = run(RULES / "no-such-folder")
    assert got.exit_code == 2
    assert "does not exist" in got.output


def test_unknown_function_is_a_usage_error_naming_the_functions() -> None:
    got = run(SHARED_ROLE, "--function", "nope")
    assert got.exit_code == 2
    assert "no function 'nope'; functions: ReaderLambdaFunction, WriterLambdaFunction" in got.output


def test_function_chosen_by_serverless_key_terraform_name_or_id() -> None:
    for path, name, key in (
        (SHARED_ROLE, "writer", "WriterLambdaFunction"),
        (SHARED_ROLE, "orders-dev-reader", "ReaderLambdaFunction"),
        (REPORT, "report", "aws_lambda_function.report"),
        (PUT_ON_STAR, "OrdersFunction", "OrdersFunction"),
    ):
        got = run(path, "--function", name)
        assert got.exit_code == 0, got.output
        assert list(json.loads(got.stdout)["functions"]) == [key]


def test_json_policy_of_a_terraform_worker() -> None:
    got = run(RULES / "FG-IAM-010" / "fail_terraform_queue_worker")
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout) == {
        "functions": {
            "aws_lambda_function.worker": {
                "actions": ["dynamodb:PutItem"],
                "statements": [
                    {
                        "Effect": "Allow",
                        "Action": ["dynamodb:PutItem"],
                        "Resource": "arn:aws:dynamodb:*:*:table/results",
                    }
                ],
                "complete": True,
                "language": "python",
                "unmapped": [],
                "runtime_policies": ["AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole"],
            }
        }
    }


def test_sam_policies_block_replaces_the_crud_template() -> None:
    got = run(RULES / "FG-IAM-009" / "fail_sam_crud_template_and_escalation", "--format", "sam")
    assert got.exit_code == 0, got.output
    assert got.stdout == (
        "# OrdersFunction (src/app.py)\n"
        "Policies:\n"
        "  - Statement:\n"
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - dynamodb:PutItem\n"
        "        Resource: !GetAtt OrdersTable.Arn\n"
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - s3:PutObject\n"
        '        Resource: !Sub "${ReceiptsBucket.Arn}/*"\n'
    )


def test_serverless_statements_for_the_shared_role_of_python_and_node_functions() -> None:
    got = run(SHARED_ROLE, "--format", "serverless")
    assert got.exit_code == 0, got.output
    assert got.stdout == (
        "# WriterLambdaFunction, ReaderLambdaFunction (reader.js, writer.py)\n"
        "provider:\n"
        "  iam:\n"
        "    role:\n"
        "      statements:\n"
        "        - Effect: Allow\n"
        "          Action:\n"
        "            - dynamodb:GetItem\n"
        "            - dynamodb:PutItem\n"
        "          Resource: {Fn::GetAtt: [OrdersTable, Arn]}\n"
    )


def test_terraform_document_for_a_node_v3_function() -> None:
    got = run(REPORT, "--format", "terraform")
    assert got.exit_code == 0, got.output
    assert got.stdout == (
        "# aws_lambda_function.report (src/index.js)\n"
        "# the Lambda service also needs, attached to the role: AWSLambdaBasicExecutionRole\n"
        'data "aws_iam_policy_document" "report" {\n'
        "  statement {\n"
        '    effect    = "Allow"\n'
        '    actions   = ["s3:GetObject"]\n'
        '    resources = ["${aws_s3_bucket.reports.arn}/*"]\n'
        "  }\n"
        "}\n"
    )


def test_incomplete_needs_say_which_calls_were_not_mapped() -> None:
    got = run(RULES / "FG-IAM-009" / "pass_sam_code_not_fully_mapped", "--format", "sam")
    assert got.exit_code == 0, got.output
    assert got.stdout == (
        "# ExportFunction (src/app.py)\n"
        "# ExportFunction: not mapped: src/app.py:9: send_message: "
        "a client of a service computed at run time\n"
        "Policies: []  # no AWS call could be mapped\n"
    )


def test_chalice_autogen_app_gets_the_policy_file_chalice_would_need() -> None:
    got = run(HERE / "policy_apps" / "chalice_autogen")
    assert got.exit_code == 0, got.output
    entry = json.loads(got.stdout)["functions"]["APIHandler"]
    needed = [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
            "Resource": "arn:aws:dynamodb:*:*:table/notes-dev",
        },
        {
            "Effect": "Allow",
            "Action": ["sns:Publish"],
            "Resource": "arn:aws:sns:us-east-1:123456789012:notes",
        },
    ]
    assert entry["actions"] == ["dynamodb:GetItem", "dynamodb:PutItem", "sns:Publish"]
    assert entry["statements"] == needed
    assert entry["policy_document"] == {
        "Version": "2012-10-17",
        "Statement": [
            *needed,
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "arn:*:logs:*:*:*",
            },
        ],
    }
