"""`ingress-studio` (the window) on a machine with no display: one sentence saying what to do, before Qt loads."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland are Linux matters")


def run_window(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "ingress_studio", "gui", "--no-sandbox"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **env},
    )


def test_no_display_is_one_sentence_and_a_non_zero_exit() -> None:
    result = run_window()
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ingress-studio: There is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set): "
        "run it in a desktop session, set DISPLAY, or use a virtual screen with `xvfb-run -a ingress-studio` "
        "(`bash packaging/dev.sh run` does that for you)."
    )


def test_an_explicit_x11_platform_without_display_is_explained() -> None:
    result = run_window(QT_QPA_PLATFORM="xcb", WAYLAND_DISPLAY="wayland-0")
    assert result.returncode == 1
    assert "QT_QPA_PLATFORM is xcb but DISPLAY is not set" in result.stderr
    assert "Traceback" not in result.stderr and "xcb-cursor0" not in result.stderr
