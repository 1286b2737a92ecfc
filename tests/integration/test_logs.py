"""The programs' logs as they are written: one file each, and no secret in any of them or on stderr."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from livekit.api import AccessToken, VideoGrants

from support.run_program import run_ingress_studio
from support.sandbox_process import SandboxServer
from support.twirp_raw import post_json

API_SECRET = "Vq7dK2mX9pR4tW8zL3nB6cF1hJ5sG0yAeT"
PIECE = 16  # no run of this many characters of a secret may appear


def leaked(secret: str, text: str) -> list[str]:
    """The PIECE-long pieces of `secret` that occur in `text` (a cut-short token leaks too)."""
    return sorted({secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)} & _pieces(text))


def _pieces(text: str) -> set[str]:
    return {text[i : i + PIECE] for i in range(len(text) - PIECE + 1)}


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every program started from here logs under tmp_path (the user log folder follows XDG_STATE_HOME)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "ingress-studio" / "log"


@pytest.fixture
def strong_sandbox(tmp_path: Path, log_folder: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "sandbox", api_key="APIlogtest", api_secret=API_SECRET).start()
    yield server
    if server.process is not None and server.process.poll() is None:
        assert server.stop() == 0


def stop_and_read_stderr(server: SandboxServer) -> str:
    assert server.stop() == 0 and server.process is not None and server.process.stderr is not None
    return server.process.stderr.read()


def all_logs(folder: Path) -> str:
    return "\n".join(path.read_text() for path in sorted(folder.iterdir()) if path.suffix != ".lock")


async def test_an_oversized_authorization_header_leaves_no_token_in_the_log(
    strong_sandbox: SandboxServer, log_folder: Path
) -> None:
    # A real token signed with the sandbox's key, made bigger than aiohttp's 8 KB header line by its metadata.
    big = AccessToken("APIlogtest", API_SECRET).with_grants(VideoGrants(ingress_admin=True))
    jwt = big.with_metadata(secrets.token_hex(4500)).to_jwt()
    assert len(jwt) > 8192
    status, _, body = await post_json(strong_sandbox.url, "ListIngress", {}, jwt)
    assert status == 400 and "8190 bytes" in body  # aiohttp's LineTooLong, which quotes the header's start
    good = AccessToken("APIlogtest", API_SECRET).with_grants(VideoGrants(ingress_admin=True)).to_jwt()
    assert (await post_json(strong_sandbox.url, "ListIngress", {}, good))[0] == 200
    stderr = stop_and_read_stderr(strong_sandbox)
    log = all_logs(log_folder)
    assert "LineTooLong" in log  # the refusal is logged: one line, without the request's bytes
    header, payload, signature = jwt.split(".")
    for segment in (header, payload, signature):
        assert leaked(segment, log) == [] and leaked(segment, stderr) == []


@pytest.mark.timeout(180)
def test_secrets_never_reach_any_log(strong_sandbox: SandboxServer, log_folder: Path) -> None:
    creds = ["--url", strong_sandbox.url, "--api-key", "APIlogtest", "--api-secret", API_SECRET]
    outputs: list[str] = []

    def run(*args: str) -> str:
        result = run_ingress_studio("-v", *args)
        outputs.append(result.stderr)
        assert result.returncode == 0, result.stderr
        return result.stdout

    created = [
        run(
            "ingress",
            "create",
            f'{{"input_type": "{kind}", "room_name": "r", "participant_identity": "{kind}"}}',
            *creds,
        )
        for kind in ("RTMP_INPUT", "WHIP_INPUT")
    ]
    rtmp_id, whip_id = (out.split()[1] for out in created)
    keys = [out.splitlines()[1].rsplit(" ", 1)[1] for out in created]
    run("ingress", "list", *creds)
    run("push", "test:", "--ingress", rtmp_id, "--duration", "2", *creds)
    run("push", "test:", "--ingress", whip_id, "--duration", "2", *creds)
    wrong = run_ingress_studio("-v", "ingress", "list", *creds[:-1], "Wr0ngS3cretValue4567")
    outputs.append(wrong.stderr)
    assert wrong.returncode == 1
    outputs.append(stop_and_read_stderr(strong_sandbox))

    assert {path.name for path in log_folder.glob("*.log")} == {"sandbox.log", "cli.log", "push.log"}
    sandbox_log = (log_folder / "sandbox.log").read_text()
    assert f"{rtmp_id}: publishing" in sandbox_log and f"{whip_id}: publishing" in sandbox_log
    assert "signature verification failed" in sandbox_log  # the wrong secret's 401, in words
    assert f"live on ingress {whip_id}" in (log_folder / "push.log").read_text()
    logs = all_logs(log_folder)
    everything = logs + "\n".join(outputs)
    for secret in (API_SECRET, "Wr0ngS3cretValue4567", *keys):
        assert leaked(secret, everything) == [] and secret not in everything
