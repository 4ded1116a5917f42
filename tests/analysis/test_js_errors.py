"""Bad JavaScript / TypeScript: errors are entries, bounds hold, tree-sitter loads only when needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_js_support import analyse, sam, write

from faasguard.analysis.code import analyse as analyse_module
from faasguard.api import ScanOptions, scan


def test_a_syntax_error_is_an_error_entry_and_the_rest_is_analysed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "broken/template.yaml": sam("app.handler"),
            "broken/src/app.js": (
                'const cp = require("child_process");\n'
                "exports.handler = async (event) => {\n"
                "  cp.exec(event.body);\n"
                "};\n"
                "const x = { a: 1 b: 2 };\n"
            ),
            "fine/template.yaml": sam("app.handler"),
            "fine/src/app.ts": "export const handler = async (e: any) => eval(e.body);\n",
        },
    )
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001", "FG-INJ-002"}), use_config=False))
    assert [(e.path, e.line, e.kind) for e in result.errors] == [("broken/src/app.js", 5, "parse")]
    assert "invalid JavaScript" in result.errors[0].message
    assert sorted((f.rule, f.location.path, f.location.line) for f in result.findings) == [
        ("FG-INJ-001", "broken/src/app.js", 3),
        ("FG-INJ-002", "fine/src/app.ts", 1),
    ]


def test_minified_and_oversized_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": 'const lib = require("./bundle");\nexports.handler = async (e) => lib.run(e);\n',
            "src/bundle.js": "var a=1;" * 2000 + "\n",
        },
    )
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    assert [(e.path, e.kind) for e in result.errors] == [("src/bundle.js", "parse")]
    assert "minified" in result.errors[0].message
    monkeypatch.setattr(analyse_module, "MAX_CODE_BYTES", 32)
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    assert ("src/app.js", "bound") in {(e.path, e.kind) for e in result.errors}


def test_deep_nesting_and_binary_files_stay_within_bounds(tmp_path: Path) -> None:
    deep = "const x = " + "[" * 3000 + "1" + "]" * 3000 + ";\n"
    chain = "const s = " + " + ".join(["a"] * 3000) + ";\n"
    write(
        tmp_path,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": 'require("./deep");\nrequire("./chain");\nrequire("./blob");\n'
            'exports.handler = async (e) => require("child_process").exec(e.body);\n',
            "src/deep.js": deep,
            "src/chain.js": chain,
            "src/blob.js": "x",
        },
    )
    (tmp_path / "src" / "blob.js").write_bytes(b"\x00\x01\x02binary" * 50)
    result = scan(tmp_path, ScanOptions(select=frozenset({"FG-INJ-001"}), use_config=False))
    assert not [e for e in result.errors if e.kind == "internal"]
    assert [(f.location.path, f.location.line) for f in result.findings] == [("src/app.js", 4)]


def test_each_file_is_parsed_once_per_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from faasguard.analysis.code import js_front

    parsed: list[str] = []
    original = js_front.JsFront.parse

    def counting(self: js_front.JsFront, path: str, text: str):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return original(self, path, text)

    monkeypatch.setattr(js_front.JsFront, "parse", counting)
    template = sam("app.handler").replace(
        "  Fn:",
        "  Fn2:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: src/, Handler: app.other, Runtime: nodejs20.x}\n  Fn:",
    )
    write(
        tmp_path,
        {
            "template.yaml": template,
            "src/app.js": 'const { run } = require("./shared");\n'
            "exports.handler = (e) => run(e);\nexports.other = (e) => run(e);\n",
            "src/shared.js": 'exports.run = (e) => require("child_process").exec(e.body);\n',
        },
    )
    result = scan(tmp_path, ScanOptions(use_config=False))
    assert sorted(parsed) == ["src/app.js", "src/shared.js"]
    assert {f.resource for f in result.findings if f.rule == "FG-INJ-001"} == {"Fn", "Fn2"}


def test_imports_stay_inside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.js").write_text('exports.run = (e) => require("child_process").exec(e.body);\n')
    project = tmp_path / "project"
    write(
        project,
        {
            "template.yaml": sam("app.handler"),
            "src/app.js": 'const a = require("./evil");\nconst b = require("../../outside/evil");\n'
            "exports.handler = (e) => { a.run(e); b.run(e); };\n",
        },
    )
    (project / "src" / "evil.js").symlink_to(outside / "evil.js")
    code, _ = analyse(project)
    assert code.functions["Fn"].files == ("src/app.js",)
    assert code.functions["Fn"].flows == []


def test_tree_sitter_is_loaded_only_for_javascript(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "py/template.yaml": sam("app.handler", runtime="python3.12"),
            "py/src/app.py": "def handler(event, context):\n    return 1\n",
        },
    )
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from faasguard.api import ScanOptions, scan\n"
        f"scan(Path({str(tmp_path / 'py')!r}), ScanOptions(use_config=False))\n"
        "print('tree_sitter' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_grammars_are_compiled_into_their_wheels() -> None:
    import tree_sitter_javascript
    import tree_sitter_typescript

    for module in (tree_sitter_javascript, tree_sitter_typescript):
        folder = Path(str(module.__file__)).parent
        assert list(folder.glob("_binding*.so")) or list(folder.glob("_binding*.pyd")), folder
