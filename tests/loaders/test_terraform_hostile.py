"""Hostile Terraform: every bad input is an `errors` entry (or an Unknown), within the bounds, and
the rest of the project is still scanned."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from faasguard.api import ScanOptions, scan
from faasguard.limits import Limits
from faasguard.loaders.cloudformation import LoadOptions
from faasguard.loaders.reader import ReadFailure
from faasguard.loaders.terraform import load_folder
from faasguard.loaders.tf_hcl import parse_hcl
from faasguard.model import Unknown

URL_FN = """\
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/x"
}
resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}
"""


def _project(tmp_path: Path) -> Path:
    good = tmp_path / "good"
    good.mkdir(parents=True)
    (good / "main.tf").write_text(URL_FN)
    return tmp_path


def _scan(root: Path, limits: Limits | None = None) -> tuple[set[tuple[str, int | None, str]], set[str]]:
    result = scan(
        root, ScanOptions(limits=limits or Limits(), select=frozenset({"FG-AUTH-003"}), use_config=False)
    )
    assert not [e for e in result.errors if e.kind == "internal"], result.errors
    errors = {(e.path, e.line, e.kind) for e in result.errors}
    found = {f"{f.location.path}:{f.location.line}" for f in result.findings}
    return errors, found


def test_invalid_hcl_with_its_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "bad").mkdir()
    (root / "bad" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = [\n}\n')
    errors, found = _scan(root)
    assert errors == {("bad/main.tf", 4, "parse")}
    assert found == {"good/main.tf:10"}


def test_unterminated_heredoc_and_template_directive(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "bad").mkdir()
    (root / "bad" / "a.tf").write_text("locals {\n  x = <<EOF\nnever closed\n}\n")
    (root / "bad" / "b.tf").write_text('locals {\n  y = "%{ if true }open"\n}\n')
    errors, found = _scan(root)
    assert {(p, k) for p, _, k in errors} == {("bad/a.tf", "parse"), ("bad/b.tf", "parse")}
    assert found == {"good/main.tf:10"}


def test_binary_and_invalid_utf8_files(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "bin").mkdir()
    (root / "bin" / "main.tf").write_bytes(b"\x00\x01\x02resource")
    (root / "latin").mkdir()
    (root / "latin" / "main.tf").write_bytes(b'locals {\n  x = "caf\xe9"\n}\n')
    errors, found = _scan(root)
    assert errors == {("bin/main.tf", None, "parse"), ("latin/main.tf", 2, "parse")}
    assert found == {"good/main.tf:10"}


def test_oversized_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "big").mkdir()
    (root / "big" / "main.tf").write_text("".join(f'locals {{ v{i} = "{i}" }}\n' for i in range(3000)))
    errors, found = _scan(root, Limits(max_file_bytes=20_000))
    assert errors == {("big/main.tf", None, "bound")}
    assert found == {"good/main.tf:10"}


def test_parse_time_bound(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "slow").mkdir()
    body = "".join(
        f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q-${{var.x}}-{i}"\n}}\n' for i in range(4000)
    )
    (root / "slow" / "main.tf").write_text(body)
    errors, found = _scan(root, Limits(parse_seconds=0.05))
    assert ("slow/main.tf", None, "bound") in errors
    assert found <= {"good/main.tf:10"}


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n",
        "x = " + " + ".join(["1"] * 3000) + "\n",
        'x = "' + "${" * 2000 + "1" + "}" * 2000 + '"\n',
    ],
    ids=["lists", "parens", "sums", "interpolations"],
)
def test_deep_nesting_is_a_bound_not_a_crash(text: str) -> None:
    with pytest.raises(ReadFailure) as info:
        parse_hcl(text, "main.tf", Limits())
    assert info.value.kind in ("bound", "parse")


def _load(root: Path) -> tuple[object, list[tuple[str, str]]]:
    apps, errors = load_folder(root.resolve(), ".", ".", LoadOptions({}))
    return (apps[0] if apps else None), [(e.kind, e.message) for e in errors]


def test_reference_cycles_and_long_chains_end_as_unknown(tmp_path: Path) -> None:
    chain = "\n".join(f"  l{i} = local.l{i + 1}" for i in range(400))
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(
            """\
            locals {
              a = local.b
              b = local.a
              %s
              l400 = "end"
            }
            resource "aws_lambda_function" "fn" {
              function_name = local.a
              filename      = "fn.zip"
              handler       = local.l0
              runtime       = aws_lambda_function.fn.handler
              role          = "arn:aws:iam::123456789012:role/x"
            }
            """
        )
        % chain.strip()
    )
    app, errors = _load(tmp_path)
    fn = app.functions[0]  # type: ignore[attr-defined]
    assert isinstance(fn.name, Unknown)
    assert isinstance(fn.handler, Unknown)  # too deep to follow: unknown, not a crash
    assert errors == []


def test_huge_collections_are_bounded(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        "locals {\n  big = range(1000000000)\n  n = length([for i in range(200000) : i])\n}\n"
        'resource "aws_sqs_queue" "q" {\n  name = "q-${length(local.big)}-${local.n}"\n}\n'
    )
    app, _ = _load(tmp_path)
    assert isinstance(app.stores[0].name, Unknown)  # type: ignore[attr-defined]


def test_module_cycles_and_escapes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "main.tf").write_text(
        'module "a" {\n  source = "./a"\n}\nmodule "out" {\n  source = "../../etc"\n}\n'
        'module "gone" {\n  source = "./missing"\n}\n'
    )
    (tmp_path / "a" / "main.tf").write_text('module "b" {\n  source = "../b"\n}\n')
    (tmp_path / "b" / "main.tf").write_text('module "a" {\n  source = "../a"\n}\n' + URL_FN)
    app, errors = _load(tmp_path)
    assert app is not None
    kinds = sorted(kind for kind, _ in errors)
    assert kinds == ["bound", "io", "outside-root"]
    assert [f.id for f in app.functions] == ["module.a.module.b.aws_lambda_function.fn"]  # type: ignore[attr-defined]


def test_symlinked_module_file_outside_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside.tf"
    outside.write_text(URL_FN)
    root = tmp_path / "project"
    (root / "mod").mkdir(parents=True)
    (root / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    try:
        os.symlink(outside, root / "mod" / "main.tf")
    except OSError:
        pytest.skip("no symlinks here")
    app, errors = _load(root)
    assert app is not None and not app.functions  # type: ignore[attr-defined]
    assert ("outside-root", "refused: the path resolves outside the scanned folder") in errors


def test_absolute_and_climbing_file_paths(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'locals {\n  a = file("/etc/passwd")\n  b = templatefile("../x.tpl", {})\n}\n'
        'resource "aws_sqs_queue" "a" {\n  name = local.a\n}\n'
        'resource "aws_sqs_queue" "b" {\n  name = local.b\n}\n'
    )
    app, errors = _load(tmp_path)
    assert all(isinstance(s.name, Unknown) for s in app.stores)  # type: ignore[attr-defined]
    assert [kind for kind, _ in errors] == ["outside-root", "outside-root"]


def test_invalid_tf_json(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "j").mkdir()
    (root / "j" / "main.tf.json").write_text('{"resource": {\n  "aws_s3_bucket": [1, 2,\n}')
    errors, found = _scan(root)
    assert {(p, k) for p, _, k in errors} == {("j/main.tf.json", "parse")}
    assert found == {"good/main.tf:10"}
