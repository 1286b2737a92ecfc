"""`ingress-studio sandbox`: binds the ports, serves until SIGINT/SIGTERM, then stops cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from ingress_studio import __version__
from ingress_studio.config.project import SANDBOX_API_KEY, SANDBOX_API_SECRET
from ingress_studio.sandbox.bounded_listener import BoundedListener
from ingress_studio.sandbox.ice_interfaces import NO_ICE, use_loopback_candidates_only, viewer_can_connect
from ingress_studio.sandbox.ingress_service import IngressService
from ingress_studio.sandbox.live_sessions import NO_MEDIA_TIMEOUT_S, LiveSessions
from ingress_studio.sandbox.request_limits import REQUEST_TIMEOUT_S, app_runner
from ingress_studio.sandbox.room_signalling import RoomSignalling
from ingress_studio.sandbox.room_viewer import RoomTimings
from ingress_studio.sandbox.rooms import Rooms
from ingress_studio.sandbox.rtmp_server import rtmp_handler
from ingress_studio.sandbox.server import build_api_app
from ingress_studio.sandbox.store import DB_FILE_NAME, IngressStore
from ingress_studio.sandbox.whip_endpoint import build_whip_app
from ingress_studio.sandbox_launch import CLEAN_EXIT, PORT_FLAGS, PORT_IN_USE_EXIT, PORT_ROLES, START_FAILED_EXIT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SandboxOptions:
    host: str = "127.0.0.1"
    port: int = 7880
    rtmp_port: int = 1935
    whip_port: int = 8080
    api_key: str = SANDBOX_API_KEY
    api_secret: str = SANDBOX_API_SECRET
    data_dir: Path | None = None
    list_page_size: int = 0
    no_media_timeout: float = NO_MEDIA_TIMEOUT_S
    ready_json: bool = False
    exit_on_stdin_eof: bool = False
    room_ping_interval: int = RoomTimings.ping_interval_s
    room_ping_timeout: int = RoomTimings.ping_timeout_s


class SandboxStartError(Exception):
    """The sandbox cannot start; the message says why and what to do. `reason` names the case for programs."""

    reason = "start_failed"
    exit_code = START_FAILED_EXIT

    def details(self) -> dict[str, object]:
        return {}


class PortInUse(SandboxStartError):
    """A port the sandbox needs is taken; the message says which and how to pick another."""

    reason = "port_in_use"
    exit_code = PORT_IN_USE_EXIT

    def __init__(self, message: str, port: int, flag: str) -> None:
        super().__init__(message)
        self.port = port
        self.flag = flag

    def details(self) -> dict[str, object]:
        return {"port": self.port, "flag": self.flag}


def _open_store(data_dir: Path) -> IngressStore:
    try:
        return IngressStore(data_dir)
    except sqlite3.DatabaseError as exc:
        raise SandboxStartError(
            f"The sandbox's database in {data_dir} cannot be used ({exc}). Move {DB_FILE_NAME} away to start "
            "with no ingresses (nothing is deleted), or pick another folder with --data-dir."
        ) from exc
    except OSError as exc:
        raise SandboxStartError(
            f"Cannot use {data_dir} as the sandbox's data folder ({exc.strerror or exc}). "
            "Pick another folder with --data-dir."
        ) from exc


def _listen(host: str, port: int, role: str, flag: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(
            f"Cannot listen for {role} on {host}:{port} ({exc.strerror}). "
            f"Stop whatever uses it, or pick another port with {flag}.",
            port,
            flag,
        ) from exc
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


async def serve(options: SandboxOptions, data_dir: Path, stop: asyncio.Event) -> None:
    _raise_open_file_limit()
    sockets: list[socket.socket] = []
    try:
        for port, role, flag in zip(
            (options.port, options.rtmp_port, options.whip_port), PORT_ROLES, PORT_FLAGS, strict=True
        ):
            sockets.append(_listen(options.host, port, role, flag))
        store = _open_store(data_dir)
    except BaseException:
        for sock in sockets:  # bound before the failure: never left open behind it
            sock.close()
        raise
    api_sock, rtmp_sock, whip_sock = sockets
    host = _url_host(options.host)
    api_url = f"http://{host}:{api_sock.getsockname()[1]}"
    rtmp_base = f"rtmp://{host}:{rtmp_sock.getsockname()[1]}/x"
    whip_base = f"http://{host}:{whip_sock.getsockname()[1]}/w"

    sessions = LiveSessions(store, no_media_timeout=options.no_media_timeout)
    sessions.recover_after_restart()
    if options.host in ("127.0.0.1", "localhost", "::1"):
        use_loopback_candidates_only()
    service = IngressService(store, rtmp_base, whip_base, sessions, page_size=options.list_page_size)
    keys = {options.api_key: options.api_secret}
    timings = RoomTimings(ping_interval_s=options.room_ping_interval, ping_timeout_s=options.room_ping_timeout)
    signalling = RoomSignalling(Rooms(sessions, store), timings)
    if not viewer_can_connect():
        log.warning(NO_ICE)
    api_runner = app_runner(build_api_app(service, keys, sessions, signalling))
    whip_runner = app_runner(build_whip_app(sessions))
    on_rtmp_client = rtmp_handler(sessions)
    listeners = [
        BoundedListener(lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader(), on_rtmp_client), rtmp_sock, "RTMP")
    ]
    refresher = asyncio.create_task(sessions.run(), name="live-sessions")
    try:
        await api_runner.setup()
        await whip_runner.setup()
        listeners += [_http_listener(api_runner, api_sock, "API"), _http_listener(whip_runner, whip_sock, "WHIP")]
        for listener in listeners:
            listener.start()
        _announce(options, api_url, rtmp_base, whip_base, store.path)
        await stop.wait()
    finally:
        refresher.cancel()
        for listener in listeners:
            await listener.close()
        sessions.stop_all()
        await api_runner.cleanup()
        await whip_runner.cleanup()
        store.close()
        log.info("sandbox stopped")


# Wanted at most (as Go programs do at start): 3 ports x 256 connections, plus the store, the log, aiortc's
# sockets. macOS starts processes with a soft limit of 256.
WANTED_OPEN_FILES = 4096


def _raise_open_file_limit() -> None:
    """Raise the soft open-file limit toward the hard one; where it stays low, accept() failing is the guard."""
    try:
        import resource
    except ImportError:  # Windows: sockets are not counted against such a limit
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = WANTED_OPEN_FILES if hard == resource.RLIM_INFINITY else min(WANTED_OPEN_FILES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError) as exc:
            log.info("open-file limit stays at %s: %s", soft, exc)


def _http_listener(runner: web.AppRunner, sock: socket.socket, what: str) -> BoundedListener:
    assert runner.server is not None, "setup() first"
    return BoundedListener(runner.server, sock, what, message_deadline_s=REQUEST_TIMEOUT_S)


def _announce(options: SandboxOptions, api_url: str, rtmp_base: str, whip_base: str, db: Path) -> None:
    log.info("sandbox listening: api %s rtmp %s whip %s db %s", api_url, rtmp_base, whip_base, db)
    if options.ready_json:
        print(
            json.dumps(
                {
                    "event": "ready",
                    "protocol": 1,
                    "version": __version__,
                    "api_url": api_url,
                    "rtmp_base_url": rtmp_base,
                    "whip_base_url": whip_base,
                    "api_key": options.api_key,
                    "database": str(db),
                }
            ),
            flush=True,
        )
        return
    secret_hint = f"secret {options.api_secret}" if options.api_secret == SANDBOX_API_SECRET else "secret as given"
    print(
        f"Ingress Studio sandbox {__version__}\n"
        f"  Ingress API  {api_url}   (API key {options.api_key}, {secret_hint})\n"
        f"  RTMP base    {rtmp_base}\n"
        f"  WHIP base    {whip_base}\n"
        f"  Data         {db}\n"
        f"Try: ingress-studio ingress list --sandbox --url {api_url}\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )


def _stop_when_stdin_closes(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """A parent that dies, even by SIGKILL, closes our stdin: stop then instead of lingering as an orphan."""

    def watch() -> None:
        # os.read on the descriptor, not sys.stdin: a daemon thread blocked inside the buffered reader
        # holds its lock, and interpreter shutdown then aborts (exit 134) instead of exiting cleanly.
        with contextlib.suppress(OSError):
            chunk = b"x"
            while chunk:  # the content is irrelevant: only the end of the stream matters
                chunk = os.read(0, 4096)
        log.info("stdin closed: the parent went away, stopping")
        with contextlib.suppress(RuntimeError):  # the loop has already ended: nothing is left to stop
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def run_sandbox(options: SandboxOptions, data_dir: Path) -> int:
    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: KeyboardInterrupt instead
                loop.add_signal_handler(sig, stop.set)
        if options.exit_on_stdin_eof:
            _stop_when_stdin_closes(loop, stop)
        await serve(options, data_dir, stop)

    try:
        asyncio.run(main())
    except SandboxStartError as exc:
        log.info("sandbox did not start: %s", exc)
        print(f"ingress-studio sandbox: {exc}", file=sys.stderr)
        if options.ready_json:
            failure = {"event": "failed", "reason": exc.reason, **exc.details(), "message": str(exc)}
            print(json.dumps(failure), flush=True)
        return exc.exit_code
    except KeyboardInterrupt:  # Windows has no SIGINT handler in asyncio: Ctrl+C arrives here
        log.info("interrupted")
    return CLEAN_EXIT
