"""The git index reader: tracked paths without running git, so that .gitignore hides only what git
itself would (untracked files)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faasguard.loaders.discover import discover
from faasguard.loaders.git_index import parse_index, tracked_paths


def _entry_v2(name: bytes) -> bytes:
    fixed = bytes(40) + bytes(20) + struct.pack(">H", min(len(name), 0xFFF))
    raw = fixed + name + b"\0"
    return raw + b"\0" * (-len(raw) % 8)


def _index_v2(names: list[bytes]) -> bytes:
    return b"DIRC" + struct.pack(">II", 2, len(names)) + b"".join(_entry_v2(n) for n in names) + bytes(20)


def test_version_2_entries_with_their_padding() -> None:
    names = [b"a", b"app.py", b"svc/.chalice/config.json", b"x" * 7, b"y" * 8]
    assert parse_index(_index_v2(names)) == [n.decode() for n in names]


@pytest.mark.parametrize("data", [b"", b"DIRC", b"XXXX" + bytes(8), b"DIRC" + struct.pack(">II", 9, 0)])
def test_what_is_not_an_index_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        parse_index(data)


def test_a_truncated_index_gives_no_paths(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_bytes(_index_v2([b"app.py", b"template.yaml"])[:40])
    assert tracked_paths(tmp_path) == frozenset()


def test_paths_are_relative_to_a_scanned_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_bytes(_index_v2([b"README.md", b"svc/app.py", b"svc/x/t.yaml"]))
    (tmp_path / "svc").mkdir()
    assert tracked_paths(tmp_path / "svc") == {"app.py", "x/t.yaml"}
    assert tracked_paths(tmp_path) == {"README.md", "svc/app.py", "svc/x/t.yaml"}


def test_gitignore_hides_only_untracked_files(tmp_path: Path) -> None:
    # A Chalice config.json committed, then listed in .gitignore: git keeps tracking it.
    chalice = tmp_path / "svc" / ".chalice"
    chalice.mkdir(parents=True)
    (chalice / "config.json").write_text('{"version": "2.0", "app_name": "svc"}')
    (tmp_path / "svc" / "app.py").write_text("from chalice import Chalice\napp = Chalice(app_name='svc')\n")
    (tmp_path / "packaged.yaml").write_text("Resources: {Q: {Type: AWS::SQS::Queue}}\n")
    (tmp_path / ".gitignore").write_text("svc/.chalice/config.json\npackaged.yaml\n")
    assert [c.rel for c in discover(tmp_path).candidates] == []  # no index: .gitignore alone
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_bytes(
        _index_v2([b".gitignore", b"svc/.chalice/config.json", b"svc/app.py"])
    )
    assert [c.rel for c in discover(tmp_path).candidates] == ["svc/.chalice/config.json"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_equals_git_ls_files(tmp_path: Path, version: str) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True)
        return done.stdout

    git("init", "-q")
    for rel in ("a.txt", "dir/b.txt", "dir/sub/c d.txt", "dir/sub/ü.txt", "/".join(["d" * 200] * 3) + ".txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    git("add", ".")
    git("update-index", "--index-version", version)
    if version == "3":
        git("update-index", "--skip-worktree", "a.txt")  # sets the extended flags of version 3
    expected = set(git("-c", "core.quotepath=off", "ls-files", "-z").split("\0")) - {""}
    assert tracked_paths(tmp_path) == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from([2, 3, 4]))
def test_hostile_index_bytes_never_escape(
    tmp_path_factory: pytest.TempPathFactory, body: bytes, count: int, version: int
) -> None:
    # A scanned repository's index is hostile input too: whatever it holds, no paths or a list.
    data = b"DIRC" + struct.pack(">II", version, count) + body
    root = tmp_path_factory.mktemp("repo")
    (root / ".git").mkdir()
    (root / ".git" / "index").write_bytes(data)
    assert isinstance(tracked_paths(root), frozenset)
