"""What the shield costs: per audited event, on a realistic handler, and at start-up.

Usage (from the repository root, after `make shield-test` has built shield/build/site):

    .venv/bin/python shield/bench/run.py [--site shield/build/site] [--rounds 7] [--json out.json]

Every measurement runs in fresh child processes (`python -S`, the wheel on PYTHONPATH), with and
without the shield, interleaved round by round so that a busy machine slows both alike; the
figures are medians over the rounds.

* Per event: a tight loop over one guarded operation (open and read a file, open a file in /tmp
  for writing, resolve a name, connect to a local port, pickle.loads of allowed classes,
  ast.parse, and an audit event the shield does not watch), minus the same loop without the shield.
* Handler: a guard-wrapped handler that validates a ~10 KB JSON body against a schema, reads
  three files, makes an HTTP call to a local server (127.0.0.1) and returns JSON; baseline is the
  bare handler.
* Start-up: `import faasguard_shield; install()` in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DELAYS = (0, 5)  # the local server answers at once, or after 5 ms like a remote service
DEFAULT_SITE = HERE.parent / "build" / "site"

POLICY = """{
    "process": "block",
    "network": {"mode": "block", "allow": ["localhost:%d" % port, "127.0.0.1:%d" % closed_port]},
    "files": "block",
    "code": "block",
}"""

MICRO = r"""
import json, os, pickle, socket, sys, time, ast, datetime, collections
port, closed_port, folder, loops = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
path = os.path.join(folder, "config.json")
scratch = os.path.join(folder, "scratch.txt")
blob = pickle.dumps({"when": datetime.datetime(2026, 1, 1), "od": collections.OrderedDict(a=1)}, protocol=2)

def unwatched():
    sys.audit("faasguard_bench.unwatched", 1)

def read_file():
    with open(path, "rb") as handle:
        handle.read()

def write_tmp():
    with open(scratch, "w") as handle:
        handle.write("x")

def resolve():
    socket.getaddrinfo("localhost", port, type=socket.SOCK_STREAM)

def connect():
    sock = socket.socket()
    try:
        sock.connect(("127.0.0.1", closed_port))  # refused at once: the check is the same
    except ConnectionRefusedError:
        pass
    sock.close()

def unpickle():
    pickle.loads(blob)

def parse():
    ast.parse("a + 1")

ACTIONS = (("unwatched audit event", unwatched, loops * 10),
           ("open + read a file", read_file, loops),
           ("open a file in /tmp for writing", write_tmp, loops // 4),
           ("resolve a name (getaddrinfo)", resolve, loops // 4),
           ("connect to a local port", connect, loops // 4),
           ("pickle.loads (allowed classes)", unpickle, loops),
           ("ast.parse (trusted compile)", parse, loops))

def measure():
    out = {}
    for name, action, count in ACTIONS:
        for _ in range(count // 10):
            action()
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(count // 3):
                action()
            best = min(best, (time.perf_counter() - start) / (count // 3))
        out[name] = best
    return out

without = measure()
import faasguard_shield
faasguard_shield.install(POLICY)
sys.stderr.write(json.dumps({"without": without, "with": measure()}) + "\n")
""".replace("POLICY", POLICY)

HANDLER = r"""
import json, os, sys, time, http.client
port, closed_port, folder, invocations = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
delay = int(sys.argv[5])
SCHEMA = {
    "type": "object",
    "required": ["order_id", "customer", "items"],
    "properties": {
        "order_id": {"type": "string", "pattern": "^ord-[0-9]+$"},
        "customer": {"type": "object", "required": ["id", "email"],
                     "properties": {"id": {"type": "string"}, "email": {"type": "string", "maxLength": 254}}},
        "items": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "required": ["sku", "qty", "price"], "additionalProperties": False,
            "properties": {"sku": {"type": "string", "minLength": 1, "maxLength": 32},
                           "qty": {"type": "integer", "minimum": 1},
                           "price": {"type": "number", "minimum": 0}}}},
    },
}

def work(event, context):
    body = json.loads(event["body"])
    config = {}
    for name in ("config.json", "prices.json", "flags.json"):
        with open(os.path.join(folder, name), "rb") as handle:
            config[name] = json.loads(handle.read())
    connection = http.client.HTTPConnection("localhost", port, timeout=5)
    connection.request("GET", "/stock?sku=" + body["items"][0]["sku"] + "&delay_ms=%d" % delay)
    stock = json.loads(connection.getresponse().read())
    connection.close()
    total = sum(item["qty"] * item["price"] for item in body["items"])
    return {"statusCode": 200, "body": json.dumps({"total": total, "stock": stock, "flags": len(config)})}

import faasguard_shield
handlers = {
    "bare": work,
    "guard": faasguard_shield.guard(work),
    "guard+schema": faasguard_shield.guard(schema=SCHEMA, engine="builtin")(work),
}
items = [{"sku": "sku-%05d" % i, "qty": 1 + i % 3, "price": 9.99} for i in range(200)]
customer = {"id": "c-1", "email": "a@example.com"}
body = json.dumps({"order_id": "ord-123", "customer": customer, "items": items})
event = {"version": "2.0", "rawPath": "/orders", "headers": {"content-type": "application/json"},
         "requestContext": {"http": {"method": "POST", "path": "/orders"}},
         "body": body, "isBase64Encoded": False}

class Context:
    aws_request_id = "bench"
    function_name = "bench"
    function_version = "1"

def measure():
    names = list(handlers)
    wall = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for i in range(invocations + invocations // 10):
        order = names[i % 3:] + names[:i % 3]  # interleaved, in a rotating order
        for name in order:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = handlers[name](event, Context())
            if i >= invocations // 10:
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
            assert result["statusCode"] == 200, result
    low = lambda values: sorted(values)[len(values) // 10]  # 10th percentile: interference only adds
    return {name: {"wall": low(wall[name]), "cpu": low(cpu[name])} for name in names}

without = measure()
faasguard_shield.install(POLICY)
sys.stderr.write(json.dumps({"body_bytes": len(body), "without": without, "with": measure()}) + "\n")
""".replace("POLICY", POLICY)

STARTUP = r"""
import sys, time, json
start, cpu = time.perf_counter(), time.process_time()
import faasguard_shield
faasguard_shield.install({"process": "block", "network": "block", "files": "block", "code": "block"})
sys.stderr.write(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu}) + "\n")
"""


SERVER = r"""
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Stock(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if "delay_ms=" in self.path:  # stands in for a remote service's latency
            time.sleep(int(self.path.rsplit("delay_ms=", 1)[1]) / 1000)
        body = b'{"in_stock": 42}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer(("127.0.0.1", 0), Stock)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def _closed_port() -> int:
    """A local port nobody listens on (connections to it are refused at once)."""
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


def child(script: str, args: list[str], site: Path) -> Any:
    # The shield's event lines go to standard output, a pipe drained as it is written, as the Lambda
    # runtime drains a function's output. (The local server runs in a process of its own, so
    # nothing here competes with it.)
    done = subprocess.run(
        [sys.executable, "-S", "-c", script, *args],
        env={"PYTHONPATH": str(site), "PATH": os.environ.get("PATH", ""), "AWS_REGION": "eu-west-1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return json.loads(done.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE, help="folder the wheel is installed in")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--loops", type=int, default=20000, help="iterations per micro-benchmark")
    parser.add_argument("--invocations", type=int, default=300, help="handler invocations per round")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    options = parser.parse_args()
    site = options.site.resolve()
    if not (site / "faasguard_shield").is_dir():
        sys.exit(f"no faasguard_shield in {site}: run `make shield-test` first (it builds the wheel)")

    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    port = server.stdout.readline().strip()
    closed_port = _closed_port()
    folder = tempfile.mkdtemp(prefix="fgs-bench-")
    for name in ("config.json", "prices.json", "flags.json"):
        Path(folder, name).write_text(json.dumps({"key": name, "values": list(range(200))}))

    micro: dict[str, dict[str, list[float]]] = {"without": {}, "with": {}}
    handler: dict[int, dict[str, dict[str, list[dict[str, float]]]]] = {
        delay: {"without": {}, "with": {}} for delay in DELAYS
    }
    startup: list[dict[str, float]] = []
    body_bytes = 0
    arguments = [port, str(closed_port), folder]
    for round_ in range(options.rounds):
        data = child(MICRO, [*arguments, str(options.loops)], site)
        for phase in ("without", "with"):
            for name, seconds in data[phase].items():
                micro[phase].setdefault(name, []).append(seconds)
        for delay in DELAYS:
            count = options.invocations if delay == 0 else max(20, options.invocations // 4)
            data = child(HANDLER, [*arguments, str(count), str(delay)], site)
            body_bytes = data["body_bytes"]
            for phase in ("without", "with"):
                for name, times in data[phase].items():
                    handler[delay][phase].setdefault(name, []).append(times)
        startup.append(child(STARTUP, [], site))
        print(f"round {round_ + 1}/{options.rounds} done", file=sys.stderr)
    server.terminate()
    server.wait()

    median = statistics.median
    report: dict[str, Any] = {"python": sys.version.split()[0], "rounds": options.rounds, "per_event_us": {}}
    print(
        f"\nPer guarded operation, microseconds (median of {options.rounds} processes, "
        "before / after install):"
    )
    print(f"  {'operation':38} {'without':>9} {'with':>9} {'added':>9}")
    for name in micro["without"]:
        base = median(micro["without"][name]) * 1e6
        added = median(b - a for a, b in zip(micro["without"][name], micro["with"][name], strict=True)) * 1e6
        report["per_event_us"][name] = {"without": base, "added": added}
        print(f"  {name:38} {base:9.2f} {base + added:9.2f} {added:9.2f}")

    def spread(values: list[float]) -> tuple[float, float, float]:
        ordered = sorted(values)
        return ordered[len(ordered) // 4], median(ordered), ordered[(3 * len(ordered)) // 4]

    report["handler"] = {"body_bytes": body_bytes}
    for delay in DELAYS:

        def series(phase: str, name: str, clock: str = "cpu", delay: int = delay) -> list[float]:
            return [value[clock] * 1e6 for value in handler[delay][phase][name]]

        def diff(a: list[float], b: list[float]) -> list[float]:
            return [y - x for x, y in zip(a, b, strict=True)]

        bare_wall = median(series("without", "bare", "wall"))
        bare_cpu = median(series("without", "bare"))
        # Differences are taken within each process (same memory layout, same moment), then summarised.
        added = {
            "audit hook": diff(series("without", "bare"), series("with", "bare")),
            "guard (limits, shapes, summary event)": diff(
                series("without", "bare"), series("without", "guard")
            ),
            "guard + audit hook": diff(series("without", "bare"), series("with", "guard")),
            "schema validation (builtin engine)": diff(
                series("with", "guard"), series("with", "guard+schema")
            ),
        }
        server = "answering at once" if delay == 0 else f"answering after {delay} ms (a typical AWS API call)"
        print(
            f"\nRealistic handler ({body_bytes // 1024} KiB JSON body, 3 file reads, one HTTP call on a new "
            f"connection to a local server {server}):\n"
            f"  bare: {bare_wall:.0f} us wall, {bare_cpu:.0f} us CPU per invocation"
        )
        print(f"  {'added CPU per invocation, us':40} {'p25':>7} {'median':>7} {'p75':>7}   of wall time")
        entry: dict[str, Any] = {"bare_wall_us": bare_wall, "bare_cpu_us": bare_cpu}
        for label, values in added.items():
            low, middle, high = spread(values)
            entry[label] = {"p25": low, "median": middle, "p75": high, "percent": middle / bare_wall * 100}
            print(f"  {label:40} {low:7.1f} {middle:7.1f} {high:7.1f}   {middle / bare_wall * 100:+6.1f}%")
        report["handler"][f"server_delay_{delay}ms"] = entry
    wall = median(s["wall"] for s in startup) * 1e3
    cpu = median(s["cpu"] for s in startup) * 1e3
    report["startup_ms"] = {"wall": wall, "cpu": cpu}
    print(f"\nStart-up: import faasguard_shield + install(): {wall:.1f} ms wall, {cpu:.1f} ms CPU")
    if options.json:
        options.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
