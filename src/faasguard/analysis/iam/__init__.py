"""IAM analysis: action facts (actions.py), the managed-policy catalogue (managed.py), resource shapes.

Nothing here reads data at import time; the data files load on first lookup and stay cached.
"""

from __future__ import annotations

import re

# The resource part of an ARN that names every resource of a type: "*", "*/*", "role/*", "table/*".
_WHOLE_TYPE = re.compile(r"(?:[A-Za-z0-9-]+[/:])?\*(?:/\*)?|/\*")
_ARN = re.compile(r"arn:[^:]+:(?P<service>[^:]+):[^:]*:[^:]*:(?P<rest>.*)")


def broad_resource(text: str) -> bool:
    """Whether a Resource names every resource ("*") or every resource of a type in any account.

    "arn:aws:iam::*:role/*" and "arn:aws:lambda:*:*:function:*" are as wide as "*" for the
    actions that take them; "arn:aws:s3:::my-bucket/*" is not.
    """
    t = text.strip()
    if t == "*":
        return True
    m = _ARN.fullmatch(t)
    if m is None:
        return False
    if m["service"] == "s3":  # "bucket/*" is one bucket's objects, not a resource type
        return m["rest"] == "*"
    return _WHOLE_TYPE.fullmatch(m["rest"]) is not None
