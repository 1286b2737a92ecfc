"""`ingress-studio self-test` for real, as packaging/build.sh runs it on a bundle: every check passes here,
one line each in order, the summary last, exit code 0 — and the user's sandbox folder is never touched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.run_program import run_ingress_studio

CHECKS_IN_ORDER = [
    "modules",
    "PyAV",
    "encoder libx264",
    "encoder aac",
    "encoder libopus",
    "muxer flv",
    "muxer whip",
    "protocol rtmp",
    "protocol rtmps",
    "protocol https",
    "livekit FFI",
    "keyring",
    "sandbox",
    "RTMP ingress",
    "WHIP ingress",
    "room watcher",
    "RTMP push",
    "room picture",
    "WHIP push",
    "stop",
]
LINE = re.compile(r"(?P<name>.+?) +(?P<outcome>ok|warning|FAILED) +(?P<detail>.+)")


@pytest.mark.timeout(180)  # the self-test's own bound is 90 s, its watchdog's 110 s
def test_the_self_test_passes_here_and_says_so_check_by_check(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    result = run_ingress_studio("self-test", env={"XDG_DATA_HOME": str(data_home)}, timeout=150)
    assert result.returncode == 0, result.stdout + result.stderr
    *lines, summary = result.stdout.splitlines()
    checks = [LINE.fullmatch(line) for line in lines]
    assert all(checks), lines
    found = {m["name"]: (m["outcome"], m["detail"]) for m in checks if m}
    assert [m["name"] for m in checks if m] == CHECKS_IN_ORDER, lines
    # the test run has no Secret Service, only keyrings.alt's plain-text file: a warning, not a failure
    assert found.pop("keyring")[0] == "warning"
    assert {name: outcome for name, (outcome, _) in found.items()} == dict.fromkeys(found, "ok"), lines
    assert re.fullmatch(r"self-test passed: 19 checks ok, 1 warning in \d+\.\d s\.", summary), summary

    assert re.fullmatch(r"PyAV \d+\.\d+\.\d+, FFmpeg \d+\.\S+", found["PyAV"][1])
    assert re.fullmatch(r".+liblivekit_ffi\.so \(\d+\.\d MB\)", found["livekit FFI"][1])
    for push in ("RTMP push", "WHIP push"):
        assert re.fullmatch(
            r"ENDPOINT_PUBLISHING \d+\.\d s after the start, ENDPOINT_INACTIVE \d+\.\d s after the end; "
            r"[1-9]\d* kB in 3 s",
            found[push][1],
        ), found[push]
    assert re.fullmatch(
        r"[1-9]\d* pictures of 960x540 received, the first \d+\.\d s after the join", found["room picture"][1]
    )
    assert not (data_home / "ingress-studio").exists()  # a temporary data folder, never the user's sandbox
    assert "Traceback" not in result.stderr
