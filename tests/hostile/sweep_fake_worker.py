"""A sweep worker that misbehaves on purpose, by the name of the application folder it is given:
`hang*` never returns, `crash*` raises, `abort*` dies by a signal, `hog*` allocates without end
(under the worker's memory bound), `exit*` leaves without a response. Anything else is scanned by
the real worker. Used by test_sweep.py through `faasguard.sweep.WORKER`.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from faasguard import sweep

real_scan = sweep._worker_scan


def misbehaving_scan(request: dict[str, Any]) -> dict[str, Any]:
    name = request["rel"].rpartition("/")[2]
    if name.startswith("hang"):
        while True:
            time.sleep(1)
    if name.startswith("crash"):
        raise RuntimeError("a loader bug, escaping the scan")
    if name.startswith("abort"):
        os.abort()
    if name.startswith("hog"):
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    if name.startswith("exit"):
        os._exit(0)
    return real_scan(request)


sweep._worker_scan = misbehaving_scan

if __name__ == "__main__":
    sys.exit(sweep.worker_main(sys.argv[1:]))
