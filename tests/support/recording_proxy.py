"""A loopback HTTP hop in front of a real server that remembers every exchange: what a client really asked
and what it was answered, seen from outside the client's process."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field

FORWARDED_HEADERS = ("Authorization", "Content-Type")


@dataclass(frozen=True)
class Exchange:
    path: str
    status: int
    body: bytes


@dataclass
class RecordingProxy:
    upstream: str  # e.g. http://127.0.0.1:7880
    exchanges: list[Exchange] = field(default_factory=list)
    _server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> RecordingProxy:
        proxy = self

        class Forward(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the client expects

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = urllib.request.Request(proxy.upstream + self.path, data=body, method="POST")
                for name in FORWARDED_HEADERS:
                    if self.headers.get(name):
                        request.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        status, content_type, reply = answer.status, answer.headers["Content-Type"], answer.read()
                except urllib.error.HTTPError as error:
                    status, content_type, reply = error.code, error.headers["Content-Type"], error.read()
                proxy.exchanges.append(Exchange(self.path, status, reply))
                self.send_response(status)
                self.send_header("Content-Type", content_type or "application/octet-stream")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the exchanges list is the record

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
