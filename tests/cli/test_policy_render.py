"""`faasguard policy` rendering on hand-built models and needs: one exact text per format.

tests/cli/test_policy_command.py runs the command end to end on fixtures with real code.
"""

from __future__ import annotations

from collections.abc import Sequence

from faasguard.analysis.iam.needs import FunctionNeeds, NeededAction, NeededResource
from faasguard.cli_policy import Target, _by_role, render_sam, render_serverless, render_terraform
from faasguard.model import Application, DataStore, Function, SourceRef, StoreKind

CODE = "src/app.py"


def at(line: int, path: str = "template.yaml") -> SourceRef:
    return SourceRef(path, line, line)


def need(action: str, *resources: NeededResource, why: str | None = None) -> NeededAction:
    return NeededAction(action, resources, (at(7, CODE),), why)


def needs(
    fid: str, *actions: NeededAction, unresolved: Sequence[tuple[SourceRef, str]] = ()
) -> FunctionNeeds:
    return FunctionNeeds(fid, "python", tuple(actions), tuple(unresolved), not unresolved)


def target(kind: str, stores: Sequence[DataStore], *fns: tuple[str, FunctionNeeds]) -> list[Target]:
    functions = tuple(Function(fid, at(20), role="Role", handler_file=CODE) for fid, _ in fns)
    app = Application(".", kind, at(1), functions=functions, stores=tuple(stores))
    return [Target(app, (f,), (n,)) for f, (_, n) in zip(functions, fns, strict=True)]


CFN_STORES = (
    DataStore("OrdersTable", StoreKind.DYNAMODB, at(3)),
    DataStore("Uploads", StoreKind.S3, at(5)),
    DataStore("Alerts", StoreKind.SNS, at(8)),
)
ORDERS = needs(
    "OrdersFunction",
    need("dynamodb:PutItem", NeededResource(store="OrdersTable")),
    need(
        "dynamodb:Query",
        NeededResource(store="OrdersTable"),
        NeededResource(store="OrdersTable", suffix="/index/*"),
    ),
    need(
        "kms:Decrypt",
        NeededResource(literal="*", note="key chosen at run time"),
        why="bucket uses a customer key",
    ),
    need("s3:GetObject", NeededResource(store="Uploads", suffix="/*")),
    need("sns:Publish", NeededResource(store="Alerts")),
    unresolved=[(at(12, CODE), "client service computed at run time")],
)


def test_sam_block_references_the_template_resources() -> None:
    assert render_sam(target("sam", CFN_STORES, ("OrdersFunction", ORDERS)), many=False) == (
        "# OrdersFunction (src/app.py)\n"
        "# OrdersFunction: not mapped: src/app.py:12: client service computed at run time\n"
        "Policies:\n"
        "  - Statement:\n"
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - dynamodb:PutItem\n"
        "        Resource: !GetAtt OrdersTable.Arn\n"
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - dynamodb:Query\n"
        "        Resource:\n"
        "          - !GetAtt OrdersTable.Arn\n"
        '          - !Sub "${OrdersTable.Arn}/index/*"\n'
        "      # key chosen at run time\n"
        "      # kms:Decrypt: bucket uses a customer key\n"
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - kms:Decrypt\n"
        '        Resource: "*"\n'
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - s3:GetObject\n"
        '        Resource: !Sub "${Uploads.Arn}/*"\n'
        "      - Effect: Allow\n"
        "        Action:\n"
        "          - sns:Publish\n"
        "        Resource: !Ref Alerts\n"
    )


def test_serverless_statements_once_for_the_shared_role() -> None:
    reader = needs("ReaderLambdaFunction", need("dynamodb:GetItem", NeededResource(store="OrdersTable")))
    writer = needs(
        "WriterLambdaFunction",
        need("dynamodb:PutItem", NeededResource(store="OrdersTable")),
        need("s3:PutObject", NeededResource(store="Uploads", suffix="/*")),
    )
    targets = _by_role(
        target("serverless", CFN_STORES, ("ReaderLambdaFunction", reader), ("WriterLambdaFunction", writer))
    )
    assert render_serverless(targets, many=False) == (
        "# ReaderLambdaFunction, WriterLambdaFunction (src/app.py)\n"
        "provider:\n"
        "  iam:\n"
        "    role:\n"
        "      statements:\n"
        "        - Effect: Allow\n"
        "          Action:\n"
        "            - dynamodb:GetItem\n"
        "            - dynamodb:PutItem\n"
        "          Resource: {Fn::GetAtt: [OrdersTable, Arn]}\n"
        "        - Effect: Allow\n"
        "          Action:\n"
        "            - s3:PutObject\n"
        '          Resource: {Fn::Join: ["", [{Fn::GetAtt: [Uploads, Arn]}, "/*"]]}\n'
    )


def test_terraform_document_with_references_and_literals() -> None:
    stores = (
        DataStore("aws_dynamodb_table.orders", StoreKind.DYNAMODB, at(3, "main.tf"), name="orders"),
        DataStore("aws_s3_bucket.b", StoreKind.S3, at(9, "main.tf")),
        DataStore("module.q.aws_sqs_queue.this", StoreKind.SQS, at(1, "q/main.tf"), name="jobs"),
    )
    api = needs(
        "aws_lambda_function.api",
        need("dynamodb:PutItem", NeededResource(store="aws_dynamodb_table.orders")),
        need("s3:GetObject", NeededResource(store="aws_s3_bucket.b", suffix="/*")),
        need("sqs:SendMessage", NeededResource(store="module.q.aws_sqs_queue.this")),
        need(
            "ssm:GetParameter", NeededResource(literal="arn:aws:ssm:us-east-1:123456789012:parameter/app/key")
        ),
    )
    assert render_terraform(target("terraform", stores, ("aws_lambda_function.api", api)), many=False) == (
        "# aws_lambda_function.api (src/app.py)\n"
        "# the Lambda service also needs, attached to the role: AWSLambdaBasicExecutionRole\n"
        'data "aws_iam_policy_document" "api" {\n'
        "  statement {\n"
        '    effect    = "Allow"\n'
        '    actions   = ["dynamodb:PutItem"]\n'
        "    resources = [aws_dynamodb_table.orders.arn]\n"
        "  }\n"
        "  statement {\n"
        '    effect    = "Allow"\n'
        '    actions   = ["s3:GetObject"]\n'
        '    resources = ["${aws_s3_bucket.b.arn}/*"]\n'
        "  }\n"
        "  statement {\n"
        '    effect    = "Allow"\n'
        '    actions   = ["sqs:SendMessage"]\n'
        '    resources = ["arn:aws:sqs:*:*:jobs"]\n'
        "  }\n"
        "  statement {\n"
        '    effect    = "Allow"\n'
        '    actions   = ["ssm:GetParameter"]\n'
        '    resources = ["arn:aws:ssm:us-east-1:123456789012:parameter/app/key"]\n'
        "  }\n"
        "}\n"
    )


def test_empty_policies_say_why() -> None:
    done = needs("OrdersFunction")
    assert render_sam(target("sam", CFN_STORES, ("OrdersFunction", done)), many=False) == (
        "# OrdersFunction (src/app.py)\nPolicies: []  # the code calls no AWS API\n"
    )
    unknown = FunctionNeeds("OrdersFunction", None, (), (), False)
    assert render_sam(target("sam", CFN_STORES, ("OrdersFunction", unknown)), many=False) == (
        "# OrdersFunction (src/app.py)\n"
        "# OrdersFunction: handler code not found: no calls analysed\n"
        "Policies: []  # no AWS call could be mapped\n"
    )


def test_serverless_function_with_its_own_role_gets_iam_role_statements() -> None:
    (t,) = target(
        "serverless",
        CFN_STORES,
        (
            "ReportLambdaFunction",
            needs("ReportLambdaFunction", need("s3:GetObject", NeededResource(store="Uploads", suffix="/*"))),
        ),
    )
    own = Function("ReportLambdaFunction", at(20), role="ReportIamRoleLambdaExecution", handler_file=CODE)
    assert render_serverless([Target(t.app, (own,), t.needs)], many=False) == (
        "# ReportLambdaFunction (src/app.py)\n"
        "functions:\n"
        "  report:\n"
        "    iamRoleStatements:\n"
        "        - Effect: Allow\n"
        "          Action:\n"
        "            - s3:GetObject\n"
        '          Resource: {Fn::Join: ["", [{Fn::GetAtt: [Uploads, Arn]}, "/*"]]}\n'
    )
