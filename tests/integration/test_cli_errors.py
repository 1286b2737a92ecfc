"""What the command line says when the user got something wrong: one line on stderr, a non-zero exit.

Real processes against real local servers: a web server answering HTML, one redirecting to a closed port,
no sandbox at all.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.run_program import push
from support.run_program import run_ingress_studio as run_cli
from support.sandbox_process import SandboxServer

CREDENTIALS = ["--api-key", "key", "--api-secret", "s" * 32]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class WebPage(http.server.BaseHTTPRequestHandler):
    """A web site where the API should be: every request gets an HTML page with 200."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<!doctype html><html><head><title>Welcome</title></head><body>Hello</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


class RedirectToClosedPort(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(307)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def web_page() -> Iterator[str]:
    yield from serve(WebPage)


@pytest.fixture
def redirect_to_closed_port() -> Iterator[tuple[str, str]]:
    dead = f"http://127.0.0.1:{closed_port()}"
    handler = type("Redirect", (RedirectToClosedPort,), {"target": dead})
    for url in serve(handler):
        yield url, dead


def one_line(result: object) -> str:
    stderr = str(getattr(result, "stderr", ""))
    assert getattr(result, "returncode", 0) != 0
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_web_page_is_not_the_livekit_api(web_page: str) -> None:
    line = one_line(run_cli("ingress", "list", "--url", web_page, *CREDENTIALS))
    assert line == (
        f"ingress-studio ingress list: {web_page} answered with a web page, not the LiveKit API: check the URL "
        "(it should be the server's address, e.g. https://project.livekit.cloud)."
    )


def test_a_redirect_names_where_it_went(redirect_to_closed_port: tuple[str, str]) -> None:
    url, dead = redirect_to_closed_port
    line = one_line(run_cli("ingress", "list", "--url", url, *CREDENTIALS))
    assert line == (
        f"ingress-studio ingress list: Cannot connect to {dead}/twirp/livekit.Ingress/ListIngress "
        f"(connection refused), where {url} redirected the request. Check the project URL."
    )


def test_sandbox_flag_with_no_sandbox_says_how_to_start_one() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    expected = (
        f"No sandbox is running at {url}: start one with `ingress-studio sandbox` "
        "(or open the app, which runs one), then try again."
    )
    assert one_line(run_cli("ingress", "list", "--sandbox", "--url", url)) == f"ingress-studio ingress list: {expected}"
    pushed = push("test:", "--ingress", "IN_abcdefghijkl", "--sandbox", "--url", url)
    assert one_line(pushed) == f"ingress-studio push: {expected}"


def test_an_unknown_enum_name_lists_the_valid_ones() -> None:
    line = one_line(run_cli("ingress", "create", '{"input_type": "RTMP"}', "--sandbox"))
    assert line == (
        "ingress-studio ingress create: invalid request: “RTMP” is not a value of “input_type”: "
        "use one of RTMP_INPUT, WHIP_INPUT, URL_INPUT (by name or number)"
    )
    nested = one_line(
        run_cli("ingress", "create", '{"video": {"options": {"layers": [{"quality": "HI"}]}}}', "--sandbox")
    )
    assert "“HI” is not a value of “video.options.layers[0].quality”: use one of LOW, MEDIUM, HIGH, OFF" in nested


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["push", "test:"], "ingress-studio push: Nothing to push to: give --rtmp URL, --whip URL or --ingress ID."),
        (
            ["push", "test:", "--rtmp", "rtmp://x/y", "--profile", "4k"],
            "ingress-studio push: argument --profile: invalid choice: '4k' (choose from '1080p30', "
            "'1080p30-high-motion', '540p25', '540p25-high-motion', '720p30', '720p30-high-motion') "
            "(see `ingress-studio push --help`)",
        ),
        (
            ["push", "test:", "--rtmp", "rtmp://x/y", "--video-bitrate", "-5"],
            "ingress-studio push: argument --video-bitrate: -5 is too small: it must be at least 1 "
            "(see `ingress-studio push --help`)",
        ),
        (
            ["push", "test:", "--rtmp", "rtmp://x/y", "--duration", "0"],
            "ingress-studio push: argument --duration: 0 is too small: it must be over 0 "
            "(see `ingress-studio push --help`)",
        ),
        (
            ["push", "test:", "--rtmp", "rtmp://x/y", "--start", "inf"],
            "ingress-studio push: argument --start: inf is not a finite number (see `ingress-studio push --help`)",
        ),
        (
            ["push", "test:", "--rtmp", "rtmp://[::1/x"],
            "ingress-studio push: “rtmp://[::1/x” is not a valid URL (Invalid IPv6 URL).",
        ),
        (
            ["push", "test:", "--rtmp", "rtmp://"],
            "ingress-studio push: “rtmp://” names no server: write it as rtmp://host[:port]/path.",
        ),
        (
            ["push", "test:", "--whip", "rtmp://x/w"],
            "ingress-studio push: “rtmp://x/w” is not a WHIP URL: it must start with http:// or https://.",
        ),
        (
            ["ingress", "list", "--limit", "many"],
            "ingress-studio ingress list: argument --limit: invalid int value: 'many' "
            "(see `ingress-studio ingress list --help`)",
        ),
    ],
)
def test_bad_flags_and_urls_are_one_line(args: list[str], message: str) -> None:
    assert one_line(run_cli(*args)) == message


def test_an_empty_ingress_id_is_not_every_ingress(sandbox: SandboxServer) -> None:
    url = sandbox.url
    created = run_cli(
        "ingress", "create", '{"input_type": "RTMP_INPUT", "room_name": "r", "participant_identity": "p"}',
        "--sandbox", "--url", url,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    line = one_line(push("test:", "--ingress", "", "--sandbox", "--url", url))
    assert line == "ingress-studio push: No ingress “” in this project: `ingress-studio ingress list` shows them."


def test_a_broken_lk_config_is_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / ".livekit").mkdir()
    (tmp_path / ".livekit" / "cli-config.yaml").write_text("default_project: x\nprojects: 5\n")
    line = one_line(run_cli("ingress", "list", env={"HOME": str(tmp_path)}))
    assert line.startswith("ingress-studio ingress list: No project chosen")


def test_an_error_line_never_shows_the_stream_key() -> None:
    """The terminal is a screen: a key in a URL is masked there as in the log."""
    result = run_cli("push", "test:", "--duration", "2", "--rtmp", "rtmp://127.0.0.1:9/x/SeCrEtKeY12345", timeout=60)
    assert result.returncode != 0
    assert "SeCrEtKeY12345" not in result.stderr and "rtmp://127.0.0.1:9/x/[redacted]:" in result.stderr
