"""What this machine can capture: cameras, microphones, screens, as `push` source names.

Linux is read from the system (video4linux nodes, ALSA cards, the X display); macOS and Windows ask
FFmpeg's own device listing (avfoundation / dshow), which it prints to its log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import av
import av.logging

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Device:
    kind: str  # "camera", "microphone" or "screen"
    source: str  # what to pass to `push`, e.g. camera:/dev/video0
    name: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _linux_cameras() -> list[Device]:
    devices = []
    for node in sorted(Path("/dev").glob("video*"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0)):
        name_file = Path("/sys/class/video4linux") / node.name / "name"
        name = name_file.read_text().strip() if name_file.exists() else node.name
        devices.append(Device("camera", f"camera:{node}", name))
    return devices


def _alsa_plugin_exists(plugin: str) -> bool:
    folder = os.environ.get("ALSA_PLUGIN_DIR", "")
    return bool(folder) and (Path(folder) / f"libasound_module_pcm_{plugin}.so").exists()


def _linux_microphones() -> list[Device]:
    devices = [Device("microphone", "mic:default", "ALSA default device")]
    if _alsa_plugin_exists("pulse"):
        devices.append(Device("microphone", "mic:pulse", "PulseAudio / PipeWire (through ALSA)"))
    cards = Path("/proc/asound/cards")
    if cards.exists():
        for match in re.finditer(r"^\s*(\d+)\s+\[(\S+)\s*\]:\s*(.+)$", cards.read_text(), re.MULTILINE):
            number, short, description = match.groups()
            devices.append(Device("microphone", f"mic:plughw:{number}", f"{short}: {description.strip()}"))
    return devices


def _linux_screens() -> list[Device]:
    display = os.environ.get("DISPLAY")
    if not display:
        return []
    try:
        container = av.open(display, format="x11grab", options={"framerate": "1"}, timeout=(3.0, 3.0))
    except av.FFmpegError as exc:
        log.info("cannot open display %s: %s", display, exc)
        return []
    with container:
        video = container.streams.video[0].codec_context
        return [Device("screen", f"screen:{display}", f"X display {display} ({video.width}x{video.height})")]


_AVFOUNDATION_LINE = re.compile(r"\[(\d+)\] (.+)$")
_DSHOW_LINE = re.compile(r'"(.+)" \((video|audio)\)')


def _ffmpeg_listing(format_name: str, file: str) -> list[str]:
    # listing devices always "fails": the list is in the log
    with av.logging.Capture() as logs, contextlib.suppress(av.FFmpegError):
        av.open(file, format=format_name, options={"list_devices": "true"}).close()
    return [message for _level, _name, message in logs]


def _mac_devices() -> list[Device]:
    devices: list[Device] = []
    section = ""
    for line in _ffmpeg_listing("avfoundation", ""):
        if "video devices" in line:
            section = "video"
        elif "audio devices" in line:
            section = "audio"
        match = _AVFOUNDATION_LINE.search(line.strip())
        if not match:
            continue
        index, name = match.groups()
        if section == "video" and name.startswith("Capture screen"):
            devices.append(Device("screen", f"screen:{index}", name))
        elif section == "video":
            devices.append(Device("camera", f"camera:{name}", name))
        elif section == "audio":
            devices.append(Device("microphone", f"mic:{name}", name))
    return devices


def _windows_devices() -> list[Device]:
    devices = [Device("screen", "screen:desktop", "The whole desktop (gdigrab)")]
    for line in _ffmpeg_listing("dshow", "dummy"):
        match = _DSHOW_LINE.search(line)
        if match:
            name, kind = match.groups()
            if kind == "video":
                devices.append(Device("camera", f"camera:{name}", name))
            else:
                devices.append(Device("microphone", f"mic:{name}", name))
    return devices


def list_devices() -> list[Device]:
    if sys.platform.startswith("linux"):
        return _linux_cameras() + _linux_microphones() + _linux_screens()
    if sys.platform == "darwin":
        return _mac_devices()
    if sys.platform == "win32":
        return _windows_devices()
    return []
