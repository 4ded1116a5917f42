"""Runs a handler module the way the Lambda Python runtime does, in a process of its own.

Usage: python -S harness.py spec.json. The spec names the handler module and the events; the
handler module itself installs the shield (at import time, as real functions do). Each
invocation's outcome is printed as one JSON line ``{"harness": index, ...}``; the shield's event
lines are printed around it.
"""

import importlib
import json
import os
import sys


class Context:
    def __init__(self, index):
        self.aws_request_id = f"req-{index:04d}-{os.getpid()}"
        self.function_name = "shield-test-fn"
        self.function_version = "7"
        self.memory_limit_in_mb = 128


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    sys.path.insert(0, spec["handler_dir"])
    module = importlib.import_module(spec.get("module", "handler"))
    handler = getattr(module, spec.get("function", "handler"))
    for index, event in enumerate(spec["events"]):
        context = Context(index)
        try:
            result = handler(event, context)
            outcome = {"ok": True, "result": result}
        except BaseException as exc:  # the test decides what was expected
            outcome = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        outcome["request_id"] = context.aws_request_id
        line = json.dumps({"harness": index, **outcome}, default=repr)
        sys.stdout.flush()
        os.write(1, (line + "\n").encode())


main()
