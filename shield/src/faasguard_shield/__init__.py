"""faasguard shield: a runtime guard for Python AWS Lambda functions.

Ship it with the function and import it first::

    import faasguard_shield

    faasguard_shield.install({"process": "block", "network": {"mode": "block", "allow": ["api.example.com"]}})

    @faasguard_shield.guard(schema={"type": "object", "required": ["id"]}, max_body_bytes=64_000)
    def handler(event, context): ...

:func:`install` registers one audit hook (PEP 578) that checks process creation, outbound
connections, file access and dynamic code against the policy, each family ``off``, ``alert`` or
``block``. :func:`guard` validates inputs and turns refusals into safe responses. Every alert,
block and rejected input is one JSON line on standard output.

It is defence in depth, not a sandbox: native code that makes system calls itself (C extensions,
``ctypes`` loaded before the shield) is not seen by audit hooks.
"""

from __future__ import annotations

from ._errors import InputRejected, PolicyError, SchemaError, ShieldViolation
from ._guard import Invocation, current, guard
from ._install import current_policy, install
from ._policy import SAFE_PICKLE, SECRET_PATHS, CodePolicy, FilesPolicy, NetworkPolicy, Policy, ProcessPolicy
from ._shapes import HttpRequest, Message, Normalized, detect, normalize

__version__ = "0.1.0"

__all__ = [
    "SAFE_PICKLE",
    "SECRET_PATHS",
    "CodePolicy",
    "FilesPolicy",
    "HttpRequest",
    "InputRejected",
    "Invocation",
    "Message",
    "NetworkPolicy",
    "Normalized",
    "Policy",
    "PolicyError",
    "ProcessPolicy",
    "SchemaError",
    "ShieldViolation",
    "__version__",
    "current",
    "current_policy",
    "detect",
    "guard",
    "install",
    "normalize",
]
