"""The sandbox that cannot start says why in one sentence and exits with a documented code, never an abort."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingress_studio.sandbox_launch import PORT_IN_USE_EXIT, START_FAILED_EXIT


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def run_sandbox(data_dir: Path, *ports: str) -> subprocess.CompletedProcess[str]:
    """As the window runs it: --ready-json, --exit-on-stdin-eof, and a stdin that stays open."""
    command = [sys.executable, "-m", "ingress_studio", "sandbox", "--ready-json", "--exit-on-stdin-eof"]
    command += [*ports, "--data-dir", str(data_dir)]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            process.wait(timeout=30)  # stdin still open, as the window holds it
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        stdout, stderr = process.communicate()
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def failure_line(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    assert lines[0]["event"] == "failed"
    return lines[0]


@pytest.mark.parametrize("flag", ["--port", "--rtmp-port", "--whip-port"])
def test_a_busy_port_exits_with_its_code_and_one_sentence(tmp_path: Path, taken_port: int, flag: str) -> None:
    ports = {"--port": "0", "--rtmp-port": "0", "--whip-port": "0", flag: str(taken_port)}
    result = run_sandbox(tmp_path, *[part for pair in ports.items() for part in pair])
    assert result.returncode == PORT_IN_USE_EXIT, result.stderr
    assert "Fatal Python error" not in result.stderr
    [line] = result.stderr.splitlines()
    assert f"127.0.0.1:{taken_port}" in line and f"pick another port with {flag}" in line
    failure = failure_line(result)
    assert failure["reason"] == "port_in_use"
    assert failure["port"] == taken_port and failure["flag"] == flag
    assert failure["message"] == line.removeprefix("ingress-studio sandbox: ")


def test_an_unusable_data_folder_is_one_sentence(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    result = run_sandbox(not_a_folder, "--port", "0", "--rtmp-port", "0", "--whip-port", "0")
    assert result.returncode == START_FAILED_EXIT
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert f"Cannot use {not_a_folder} as the sandbox's data folder" in line
    assert failure_line(result)["reason"] == "start_failed"


def test_a_damaged_database_is_kept_and_named(tmp_path: Path) -> None:
    database = tmp_path / "ingress.db"
    database.write_bytes(b"not a database " * 100)
    result = run_sandbox(tmp_path, "--port", "0", "--rtmp-port", "0", "--whip-port", "0")
    assert result.returncode == START_FAILED_EXIT
    assert "Traceback" not in result.stderr
    assert "cannot be used (file is not a database)" in result.stderr
    assert database.read_bytes() == b"not a database " * 100  # nothing lost
