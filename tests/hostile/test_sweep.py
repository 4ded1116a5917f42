"""`faasguard sweep`: every application found under a folder is scanned in its own bounded worker;
one that crashes, hangs or eats memory is reported in the table and the sweep goes on."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from faasguard import cli, sweep

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: NONE
"""
SLS = (
    "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n"
    "functions:\n  f:\n    handler: h.main\n    url: true\n"
)
TF = 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'
SPLIT_TF = """\
data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "${path.module}/../src"
  output_path = "${path.module}/fn.zip"
}
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = data.archive_file.zip.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::123456789012:role/r"
}
"""
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def _corpus(root: Path, extra: dict[str, str] | None = None) -> Path:
    files = {
        "sam-app/template.yaml": SAM,
        "sam-app/nested/template.yaml": SAM,  # its own application, left out of sam-app's scan
        "sls-app/serverless.yml": SLS,
        "tf-app/main.tf": TF,
        "bomb-app/template.yaml": BOMB + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: *i\n",
        "docs/readme.md": "not an application\n",
        # Terraform in infra/ with its handler in a sibling folder: resolved within the project.
        "split-app/infra/main.tf": SPLIT_TF,
        "split-app/src/app.py": "import os\ndef handler(event, context):\n    os.system(event['q'])\n",
        **(extra or {}),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_units_are_application_folders_scanned_within_their_project() -> None:
    units = sweep.units_from(
        [
            ("cloudformation", "a", "a/template.yaml"),
            ("terraform", "a/b", "a/b"),
            ("serverless", "a/c d*", "a/c d*/serverless.yml"),
            ("cloudformation", "e", "e/template.yaml"),
            ("cdk", ".", "cdk.out/S.template.json"),
            ("terraform", ".", "."),
        ]
    )
    by_rel = {u.rel: u for u in units}
    assert sorted(by_rel) == [".", "a", "a/b", "a/c d*", "e"]
    assert by_rel["a"].project == "a" and by_rel["a/b"].project == "a"
    # The other applications of the project, by their files (not folders: a/b is inside a).
    assert by_rel["a"].exclude == ("/b/*.tf", "/b/*.tf.json", "/c d[*]/serverless.yml")
    assert by_rel["a/b"].exclude == ("/template.yaml", "/c d[*]/serverless.yml")
    assert by_rel["e"].exclude == ()
    assert set(by_rel["."].exclude) == {
        "/a/template.yaml",
        "/a/b/*.tf",
        "/a/b/*.tf.json",
        "/a/c d[*]/serverless.yml",
        "/e/template.yaml",
    }
    assert by_rel["."].kinds == ("cdk", "terraform")


def test_sweep_scans_each_application_on_its_own(tmp_path: Path) -> None:
    result = sweep.sweep(
        _corpus(tmp_path), timeout=120, osv_db=str(REPO / "examples" / "osv"), use_config=False
    )
    by_app = {o.app: o for o in result.outcomes}
    assert sorted(by_app) == ["bomb-app", "sam-app", "sam-app/nested", "sls-app", "split-app/infra", "tf-app"]
    assert all(o.status == "ok" and not o.internal for o in result.outcomes)
    assert by_app["sam-app"].applications == 1  # nested/ was not scanned a second time here
    assert by_app["sam-app"].findings == by_app["sam-app/nested"].findings > 0
    assert by_app["bomb-app"].errors == {"bound": 1} and by_app["bomb-app"].applications == 0
    assert all(o.peak_mb > 0 and o.seconds > 0 for o in result.outcomes)
    totals = result.totals()
    split = by_app["split-app/infra"]
    assert split.functions == 1 and split.errors == {}  # ../src is inside the project: read
    assert split.findings > by_app["tf-app"].findings
    assert totals["units"] == 6 and totals["crashes"] == 0 and totals["loaded_units"] == 5
    assert totals["errors_by_kind"] == {"bound": 1}
    assert not result.failed
    text = sweep.table(result)
    assert "bomb-app" in text and "bound:1" in text and "6 ok, 0 crashed" in text


def test_a_crash_a_hang_and_a_memory_hog_do_not_stop_the_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweep, "WORKER", [sys.executable, str(HERE / "sweep_fake_worker.py")])
    root = _corpus(
        tmp_path,
        {
            "hang-app/template.yaml": SAM,
            "crash-app/template.yaml": SAM,
            "abort-app/template.yaml": SAM,
            "hog-app/template.yaml": SAM,
            "exit-app/template.yaml": SAM,
        },
    )
    result = sweep.sweep(root, timeout=8, memory_mb=1024, jobs=2, use_config=False)
    status = {o.app: o.status for o in result.outcomes}
    assert status == {
        "abort-app": "crash",
        "bomb-app": "ok",
        "crash-app": "crash",
        "exit-app": "crash",
        "hang-app": "timeout",
        "hog-app": "memory",
        "sam-app": "ok",
        "sam-app/nested": "ok",
        "sls-app": "ok",
        "split-app/infra": "ok",
        "tf-app": "ok",
    }
    by_app = {o.app: o for o in result.outcomes}
    assert "a loader bug" in by_app["crash-app"].detail
    assert by_app["hang-app"].seconds >= 8
    assert result.failed
    totals = result.totals()
    assert (totals["crashes"], totals["timeouts"], totals["over_memory"], totals["ok"]) == (3, 1, 1, 6)


def test_cli_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    out = tmp_path / "sweep.json"
    run = CliRunner().invoke(
        cli.main,
        ["sweep", str(root), "--osv-db", str(REPO / "examples" / "osv"), "--json", str(out), "-j", "2"],
    )
    assert run.exit_code == 0, run.output
    assert "APPLICATION" in run.output and "PEAK MB" in run.output and "sls-app" in run.output
    doc = json.loads(out.read_text())
    assert doc["totals"]["units"] == 6 and doc["totals"]["crashes"] == 0
    assert {o["app"] for o in doc["outcomes"]} >= {"tf-app", "bomb-app"}
    problems = CliRunner().invoke(cli.main, ["sweep", str(root), "--problems-only", "--no-config"])
    assert "sam-app/nested" not in problems.output and "6 ok" in problems.output


def test_escape_sequences_in_folder_names_are_cleaned(tmp_path: Path) -> None:
    root = _corpus(tmp_path, {"evil\x1b]0;owned\x07\x1b[2J/template.yaml": SAM})
    result = sweep.sweep(root, timeout=120, use_config=False)
    text = sweep.table(result)
    assert "\x1b" not in text and "\x07" not in text
    assert any("\x1b" in o.app for o in result.outcomes)  # the JSON output keeps it, escaped
    assert "\\u001b" in sweep.to_json(result)
