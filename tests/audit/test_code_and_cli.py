"""--with-code (deployment packages laid out like a checkout, extracted without trusting them) and
the `faasguard audit` command."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from audit_deployed import ACCOUNT, CODE, Moto, package
from click.testing import CliRunner

from faasguard import cli
from faasguard.audit.code import CodeLimits, PackageError, _allowed, _extract
from faasguard.audit.runner import AuditOptions, run_audit

HERE = Path(__file__).resolve().parent


def test_with_code_scans_each_package_like_a_checkout(aws: Moto, monkeypatch: pytest.MonkeyPatch) -> None:
    import faasguard.engine as engine

    urls: list[str] = []
    seen: list[Any] = []
    original = engine.run_rules

    def fetch(url: str) -> bytes:  # moto's pre-signed URL names AWS: never fetched for real here
        urls.append(url)
        return package()

    def spy(app: Any, rules: Any, severities: Any, facts: Any = None) -> Any:
        for fn in app.functions:  # the rules see the code where the handlers say it is
            assert (facts.root / fn.handler_file).read_bytes() == CODE
        seen.append((app, facts.root))
        return original(app, rules, severities, facts)

    monkeypatch.setattr(engine, "run_rules", spy)
    result = run_audit(AuditOptions(regions=("us-east-1",), with_code=True, fetch=fetch))
    assert len(urls) == 3 and all(u.startswith("https://") for u in urls)
    assert result.result.coverage.handlers_mapped == 3
    ((app, root),) = seen
    assert sorted(f.handler_file for f in app.functions) == [
        "us-east-1/hotfix-export/app.py",
        "us-east-1/orders-prod-OrdersFunction/app.py",
        "us-east-1/orders-prod-ReportsFunction/app.py",
    ]
    assert not Path(root).exists()  # the temporary checkout is gone after the audit


def _zip(members: dict[str, bytes], link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("members", "link", "why"),
    [
        ({"../evil.py": b"x"}, None, "unsafe member name"),
        ({"/abs.py": b"x"}, None, "unsafe member name"),
        ({"C:/win.py": b"x"}, None, "unsafe member name"),
        ({"ok.py": b"x"}, "link.py", "holds a link"),
        ({"big.py": b"x" * 2048}, None, "unpacks to more than"),
    ],
)
def test_hostile_packages_are_refused_whole(
    members: dict[str, bytes], link: str | None, why: str, tmp_path: Path
) -> None:
    with pytest.raises(PackageError, match=why):
        _extract(_zip(members, link), tmp_path / "fn", CodeLimits(max_unzipped_bytes=1024))
    assert not (tmp_path / "fn").exists() and not (tmp_path / "evil.py").exists()


def test_only_https_or_loopback_urls_are_fetched() -> None:
    assert _allowed("https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/x")
    assert _allowed("http://127.0.0.1:4566/x") and _allowed("http://localhost:4566/x")
    assert not _allowed("http://example.com/x") and not _allowed("file:///etc/passwd")
    assert not _allowed("http://10.0.0.1/x")


def test_cli_audit_json_against_iac(aws: Moto, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    against = str(HERE / "iac")
    result = CliRunner().invoke(
        cli.main, ["audit", "--region", "us-east-1", "--against", against, "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 1, result.output  # high findings
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["audit"]["account"] == ACCOUNT
    assert data["summary"]["audit"]["regions"] == ["us-east-1"]
    assert {f["application"] for f in data["findings"]} == {f"aws/{ACCOUNT}/us-east-1"}
    drift = [f for f in data["findings"] if f["rule"] == "FG-DRIFT-003"]
    # Template locations are shown relative to the working folder, as a reader would open them.
    shown = Path(os.path.relpath(HERE / "iac" / "template.yaml")).as_posix()
    assert drift and drift[0]["related"][0]["path"] == shown


def test_cli_audit_fail_on_and_select(aws: Moto) -> None:
    result = CliRunner().invoke(
        cli.main, ["audit", "--region", "us-east-1", "--select", "FG-LOG-001", "--fail-on", "low"]
    )
    assert result.exit_code == 1, result.output
    assert "FG-LOG-001" in result.output and "FG-AUTH-003" not in result.output
    assert result.output.rstrip().splitlines()[-1].startswith(f"audit: account {ACCOUNT}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "us-east-1", "--all-regions"], "use either --region or --all-regions"),
        (["--region", "us-east-1", "--select", "FG-NOPE-001"], "unknown rule id(s): FG-NOPE-001"),
        (["--explain", "FG-NOPE-001"], "unknown audit rule"),
    ],
)
def test_cli_audit_usage_errors(args: list[str], message: str, aws: Moto) -> None:
    result = CliRunner().invoke(cli.main, ["audit", *args])
    assert result.exit_code == 2 and message in result.output


def test_cli_audit_needs_a_region_and_credentials(aws: Moto, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = CliRunner().invoke(cli.main, ["audit"])
    assert result.exit_code == 2 and "no region: pass --region" in result.output
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    result = CliRunner().invoke(cli.main, ["audit", "--region", "us-east-1"])
    assert result.exit_code == 2 and "cannot identify the caller's account" in result.output
    assert "Unable to locate credentials" in result.output


def test_cli_audit_lists_and_explains_its_rules() -> None:
    listed = CliRunner().invoke(cli.main, ["audit", "--list-rules"])
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.output.splitlines()] == [
        f"FG-DRIFT-00{i}" for i in range(1, 7)
    ]
    explained = CliRunner().invoke(cli.main, ["audit", "--explain", "fg-drift-001"])
    assert explained.exit_code == 0 and explained.output.startswith(
        "# FG-DRIFT-001: Deployed but described by no IaC"
    )
