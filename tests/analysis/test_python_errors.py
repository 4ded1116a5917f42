"""Bad handler code: parse errors become `errors` entries, bounds hold, each file is parsed once."""

from __future__ import annotations

from pathlib import Path

from test_python_support import analyse, sam, write

from faasguard.analysis.code import analyse as analyse_module
from faasguard.api import ScanOptions, scan


def test_a_syntax_error_is_an_error_entry_and_the_scan_goes_on(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "broken/template.yaml": sam("app.handler"),
            "broken/src/app.py": "def handler(event, context)\n    return 1\n",
            "fine/template.yaml": sam("app.handler"),
            "fine/src/app.py": "import os\n\n\ndef handler(event, context):\n    os.system(event['body'])\n",
        },
    )
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    assert [(e.path, e.line, e.kind) for e in result.errors] == [("broken/src/app.py", 1, "parse")]
    assert "invalid python" in result.errors[0].message
    assert [(f.location.path, f.location.line) for f in result.findings] == [("fine/src/app.py", 5)]


def test_hostile_files_stay_within_bounds(tmp_path: Path) -> None:
    deep = "x = " + "(" * 400 + "1" + ")" * 400 + "\n"
    write(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": "import helpers\nimport blob\n\n\ndef handler(event, context):\n"
            "    helpers.go(event)\n",
            "src/helpers.py": deep + "def go(e):\n    return e\n",
            "src/blob.py": "A = 1\n" * 10,
        },
    )
    (tmp_path / "src" / "blob.py").write_bytes(b"\x00\x01binary" * 10)
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    errors = {(e.path, e.kind) for e in result.errors}
    assert ("src/blob.py", "parse") in errors
    assert any(path == "src/helpers.py" for path, _ in errors)
    assert not [e for e in result.errors if e.kind == "internal"]


def test_oversized_code_file_is_refused(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(analyse_module, "MAX_CODE_BYTES", 64)
    write(tmp_path, {"template.yaml": sam("app.handler"), "src/app.py": "# " + "x" * 200 + "\n"})
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    assert [(e.path, e.kind) for e in result.errors] == [("src/app.py", "bound")]


def test_each_file_is_parsed_once_per_scan(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    from faasguard.analysis.code.python.front import PythonFront

    parsed: list[str] = []
    original = PythonFront.parse

    def counting(self: PythonFront, path: str, text: str):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return original(self, path, text)

    monkeypatch.setattr(PythonFront, "parse", counting)
    template = sam("app.handler").replace(
        "  Fn:",
        "  Fn2:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: src/, Handler: app.other, Runtime: python3.12}\n  Fn:",
    )
    write(
        tmp_path,
        {
            "template.yaml": template,
            "src/app.py": "from shared import run\n\n\ndef handler(e, c):\n    run(e)\n\n\n"
            "def other(e, c):\n    run(e)\n",
            "src/shared.py": "import os\n\n\ndef run(e):\n    os.system(e['body'])\n",
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert sorted(parsed) == ["src/app.py", "src/shared.py"]
    assert {f.resource for f in result.findings if f.rule == "FG-INJ-001"} == {"Fn", "Fn2"}


def test_symlinks_out_of_the_project_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.py").write_text(
        "import os\n\n\ndef run(e):\n    os.system(e['body'])\n", encoding="utf-8"
    )
    project = tmp_path / "project"
    write(
        project,
        {
            "template.yaml": sam("app.handler"),
            "src/app.py": "import evil\n\n\ndef handler(e, c):\n    evil.run(e)\n",
        },
    )
    (project / "src" / "evil.py").symlink_to(outside / "evil.py")
    code, _ = analyse(project)
    assert code.functions["Fn"].files == ("src/app.py",)
    assert code.functions["Fn"].flows == []


def test_missing_handler_file_and_other_runtimes_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, {"template.yaml": sam("app.handler"), "src/other.py": "x = 1\n"})
    code, _ = analyse(tmp_path)
    assert code.functions == {}
