"""The paths git tracks, read from the repository's index file (`.git/index`), never by running git.

`.gitignore` only hides untracked files: a committed file that a pattern matches (a Chalice
`config.json` committed and then listed in `.gitignore`) is still part of the project, and
discovery must see it. The index is a binary file: the signature `DIRC`, a version (2, 3 or 4),
the number of entries, then one entry per tracked path: 62 bytes of stat data, object id and
flags (2 more with version 3's extended flags), then the path, NUL-terminated and padded to 8
bytes (versions 2 and 3) or prefix-compressed against the previous path (version 4). Anything
unexpected gives an empty set: discovery then follows `.gitignore` alone, as before.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

MAX_INDEX_BYTES = 64 * 1024 * 1024
_ENTRY_FIXED = 62  # ctime, mtime, dev, ino, mode, uid, gid, size (40) + object id (20) + flags (2)
_EXTENDED = 0x4000


def tracked_paths(root: Path) -> frozenset[str]:
    """Paths under `root` that the enclosing git repository tracks, relative to `root` (POSIX)."""
    top = _repository_top(root)
    if top is None:
        return frozenset()
    try:
        index = top / ".git" / "index"
        if not index.is_file() or index.stat().st_size > MAX_INDEX_BYTES:
            return frozenset()
        data = index.read_bytes()
        prefix = root.relative_to(top).as_posix()
    except (OSError, ValueError):
        return frozenset()
    try:
        paths = parse_index(data)
    except (ValueError, struct.error, IndexError):
        return frozenset()
    if prefix in ("", "."):
        return frozenset(paths)
    head = prefix + "/"
    return frozenset(p[len(head) :] for p in paths if p.startswith(head))


def _repository_top(root: Path) -> Path | None:
    """The nearest folder at or above `root` holding a `.git` folder (a `.git` file, as in a
    worktree or submodule, points elsewhere: not followed)."""
    here = root
    for _ in range(64):
        if os.path.isdir(here / ".git"):
            return here
        if here.parent == here:
            return None
        here = here.parent
    return None


def parse_index(data: bytes) -> list[str]:
    if len(data) < 12 or data[:4] != b"DIRC":
        raise ValueError("not a git index")
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3, 4):
        raise ValueError(f"git index version {version}")
    pos = 12
    previous = b""
    out: list[str] = []
    for _ in range(count):
        start = pos
        (flags,) = struct.unpack(">H", data[pos + 60 : pos + 62])
        pos += _ENTRY_FIXED
        if version >= 3 and flags & _EXTENDED:
            pos += 2
        if version == 4:
            strip, pos = _varint(data, pos)
            if strip > len(previous):
                raise ValueError("bad prefix length")
            end = data.index(b"\0", pos)
            name = previous[: len(previous) - strip] + data[pos:end]
            pos = end + 1
        else:
            end = data.index(b"\0", pos)
            name = data[pos:end]
            # The entry, NUL included, padded with NULs to a multiple of 8 bytes.
            pos = start + ((end - start + 8) & ~7)
        if pos > len(data):
            raise ValueError("truncated git index")
        previous = name
        out.append(name.decode("utf-8", errors="surrogateescape"))
    return out


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """Git's offset encoding: 7 bits a byte, high bit set while more follow, +1 per extra byte."""
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, pos


__all__ = ["parse_index", "tracked_paths"]
