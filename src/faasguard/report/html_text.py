"""Escaping for the HTML report: every string that can come from a scanned file passes through here.

`esc` is for text and attribute values (always quoted with double quotes by the report): terminal
escape sequences, control characters and lone surrogates are removed first (they are invisible or
unencodable), then `& < > " '` become entities. `script_json` is for JSON inside a <script> data
block, where entities are not decoded: `< > &` and the JavaScript line separators become \\u
escapes, so no `</script>` or `<!--` can appear in it.
"""

from __future__ import annotations

import hashlib
import html
import json

from faasguard.report.text import clean

_SCRIPT_UNSAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def esc(text: object) -> str:
    return html.escape(clean(str(text)), quote=True)


def esc_block(text: str) -> str:
    """Like `esc`, keeping line breaks (shown by a `white-space: pre-wrap` element)."""
    return "\n".join(esc(line) for line in text.splitlines())


def script_json(text: str) -> str:
    """JSON text made safe to sit between <script type="application/json"> and </script>."""
    return text.translate(_SCRIPT_UNSAFE)


def dumps_for_script(value: object) -> str:
    return script_json(json.dumps(value, ensure_ascii=False, allow_nan=False))


def anchor(prefix: str, *parts: str) -> str:
    """A fragment id made only of [a-z0-9-]: names from scanned files never reach an id verbatim."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{prefix}-{digest}"
