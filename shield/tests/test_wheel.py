"""The distribution itself: what the tests run against is the wheel built from shield/, and that
wheel is small, standard-library only, and independent of the scanner."""

from __future__ import annotations

import ast
import email
import zipfile
from pathlib import Path

import faasguard_shield

SHIELD = Path(__file__).resolve().parent.parent


def the_wheel(site: Path) -> Path:
    candidates = sorted((site.parent / "wheel").glob("faasguard_shield-*.whl"))
    assert candidates, f"no wheel next to {site}"
    return candidates[-1]


def test_tests_run_against_the_installed_wheel(site: Path) -> None:
    assert Path(faasguard_shield.__file__).resolve().is_relative_to(site)
    assert not Path(faasguard_shield.__file__).resolve().is_relative_to(SHIELD / "src")


def test_wheel_is_small_and_holds_only_the_package(site: Path) -> None:
    wheel = the_wheel(site)
    assert wheel.stat().st_size < 60_000
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = email.message_from_bytes(archive.read(next(n for n in names if n.endswith("/METADATA"))))
    assert all(n.startswith(("faasguard_shield/", "faasguard_shield-")) for n in names)
    assert "faasguard_shield/py.typed" in names
    assert metadata["Name"] == "faasguard-shield"
    assert metadata["Version"] == faasguard_shield.__version__
    assert metadata["Requires-Python"] == ">=3.10"
    requires = metadata.get_all("Requires-Dist") or []
    assert requires and all("extra ==" in r for r in requires), requires  # only the optional extras
    assert set(metadata.get_all("Provides-Extra") or []) == {"jsonschema", "pydantic"}


def test_shield_and_scanner_do_not_depend_on_each_other() -> None:
    for path in (SHIELD / "src" / "faasguard_shield").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert not node.module.startswith("faasguard."), path
            if isinstance(node, ast.Import):
                assert not any(
                    alias.name.startswith("faasguard.") or alias.name == "faasguard" for alias in node.names
                )
    scanner = SHIELD.parent / "src" / "faasguard"
    if scanner.is_dir():
        for path in scanner.rglob("*.py"):
            # The scanner may read the shield's log events (watch) but never import the shield.
            text = path.read_text(encoding="utf-8")
            assert "import faasguard_shield" not in text and "from faasguard_shield" not in text, path
