"""A tiny HTTP proxy on 127.0.0.1 in front of the moto server that answers some calls itself
with AWS errors (throttling, access denied), as a real endpoint would, and records the others."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def service(self) -> str:
        """The signing service of the request, from its SigV4 credential scope."""
        match = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", self.headers.get("authorization", ""))
        return match.group(1) if match else ""

    @property
    def target(self) -> str:
        return self.headers.get("x-amz-target", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Fault:
    """Answer matching requests with an error, `times` times (None: always)."""

    match: Callable[[Request], bool]
    status: int
    headers: dict[str, str]
    body: bytes
    times: int | None = None
    hits: int = 0


def rest_json_error(code: str, status: int, message: str = "") -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"x-amzn-ErrorType": code, "Content-Type": "application/json"},
        json.dumps({"message": message or code, "Type": "User"}).encode(),
    )


def json_error(code: str, message: str = "") -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": code, "message": message or code}).encode()
    return 400, {"Content-Type": "application/x-amz-json-1.1"}, body


def query_error(code: str, message: str = "") -> tuple[int, dict[str, str], bytes]:
    body = (
        "<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{code}</Code><Message>{message or code}</Message></Error>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
    ).encode()
    return 400, {"Content-Type": "text/xml"}, body


@dataclass
class FaultProxy:
    upstream: tuple[str, int]
    faults: list[Fault] = field(default_factory=list)
    seen: list[Request] = field(default_factory=list)

    def add(
        self,
        match: Callable[[Request], bool],
        error: tuple[int, dict[str, str], bytes],
        times: int | None = None,
    ) -> Fault:
        fault = Fault(match, *error, times=times)
        self.faults.append(fault)
        return fault

    def start(self) -> str:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                proxy.seen.append(request)  # list.append is atomic
                for fault in proxy.faults:
                    if (fault.times is None or fault.hits < fault.times) and fault.match(request):
                        fault.hits += 1
                        self._reply(fault.status, fault.headers, fault.body)
                        return
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                skip = ("transfer-encoding", "connection", "content-length")
                self._reply(
                    response.status, {k: v for k, v in response.getheaders() if k.lower() not in skip}, data
                )
                conn.close()

            def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
