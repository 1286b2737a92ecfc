"""The bridge engine: capture devices and files → transcode or remux → RTMP(S)/WHIP. PyAV only, no Qt.

Importing this package prepares the environment PyAV's bundled FFmpeg needs (the wheel's ALSA looks for
its configuration under the path it was built in, not /usr/share/alsa), so import it before `av` is first
imported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _prepare_alsa_environment() -> None:
    if not sys.platform.startswith("linux"):
        return
    if "ALSA_CONFIG_DIR" not in os.environ and Path("/usr/share/alsa/alsa.conf").exists():
        os.environ["ALSA_CONFIG_DIR"] = "/usr/share/alsa"
    if "ALSA_PLUGIN_DIR" not in os.environ:
        for candidate in (
            "/usr/lib/x86_64-linux-gnu/alsa-lib",
            "/usr/lib/aarch64-linux-gnu/alsa-lib",
            "/usr/lib/alsa-lib",
        ):
            if Path(candidate).is_dir():
                os.environ["ALSA_PLUGIN_DIR"] = candidate
                break


_prepare_alsa_environment()
