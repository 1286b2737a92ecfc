"""How the FFmpeg inside PyAV's wheel was configured, read from libavutil's own bytes: the window's process
must not load FFmpeg to ask it (PyAV would), and the wheel's licence files do not say.

FFmpeg embeds its `configure` command line and its licence sentence ("LGPL version 3 or later", "GPL
version 2 or later"…) in every library; libavutil is the smallest to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath

CONFIGURATION = re.compile(rb"--(?:disable|enable|prefix)[^\x00]*")
LICENCE = re.compile(rb"libavutil license: ([^\x00]+)")
LIBAVUTIL = re.compile(r"(?:lib)?avutil(?=[-._0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class FfmpegBuild:
    configuration: str
    licence: str  # FFmpeg's own words, as `avutil_license()` returns them

    def enabled(self, option: str) -> bool:
        return f"--enable-{option}" in self.configuration.split()

    @property
    def gpl_flag(self) -> bool:
        return self.enabled("gpl")

    @property
    def version3(self) -> bool:
        return self.enabled("version3")


def is_libavutil(path: PurePath) -> bool:
    return LIBAVUTIL.match(path.name) is not None


def read_ffmpeg_build(libavutil: Path) -> FfmpegBuild | None:
    """None when the file cannot be read or holds no configuration (not an FFmpeg library)."""
    try:
        data = libavutil.read_bytes()
    except OSError:
        return None
    configurations = CONFIGURATION.findall(data)
    licence = LICENCE.search(data)
    if not configurations or licence is None:
        return None
    longest = max(configurations, key=len)  # the whole command line, not a stray "--enable-foo" message
    return FfmpegBuild(longest.decode(errors="replace"), licence.group(1).decode(errors="replace"))
