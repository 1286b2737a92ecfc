"""What the user named as a source: a file or URL, the test pattern, or a capture device.

test:                       moving test picture + 440 Hz tone
camera:/dev/video0          Linux video4linux2; macOS/Windows: the camera's name
mic:default | mic:pulse     Linux ALSA device (pulse = the PulseAudio/PipeWire bridge); others: name
screen: | screen::99.0      Linux x11grab display (default $DISPLAY); macOS: screen index; Windows: desktop
PATH | http(s)://… | …      anything FFmpeg demuxes: mp4, mkv, mov, webm, flv, ts, mp3, wav, HLS…
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SourceKind(Enum):
    FILE = "file"
    URL = "url"
    TEST = "test"
    CAMERA = "camera"
    MIC = "mic"
    SCREEN = "screen"

    @property
    def live(self) -> bool:
        """Live sources keep time by the wall clock and drop frames when nobody takes them."""
        return self in (SourceKind.TEST, SourceKind.CAMERA, SourceKind.MIC, SourceKind.SCREEN)


URL_SCHEMES = ("http://", "https://", "rtmp://", "rtmps://", "srt://", "rtsp://", "udp://", "tcp://", "file:")
DEVICE_PREFIXES = {
    "test:": SourceKind.TEST,
    "camera:": SourceKind.CAMERA,
    "mic:": SourceKind.MIC,
    "screen:": SourceKind.SCREEN,
}


@dataclass(frozen=True)
class SourceSpec:
    kind: SourceKind
    target: str  # path, URL, or device name ("" = the platform default)

    def describe(self) -> str:
        if self.kind in (SourceKind.FILE, SourceKind.URL):
            return self.target
        return f"{self.kind.value}:{self.target}" if self.target else f"{self.kind.value}:"

    def spoken(self) -> str:
        """For a sentence: “the test pattern”, “the camera /dev/video0”, a file's path as it is."""
        if self.kind in (SourceKind.FILE, SourceKind.URL):
            return self.target
        words = SPOKEN_KINDS[self.kind]
        return f"{words} {self.target}" if self.target else words


SPOKEN_KINDS = {
    SourceKind.TEST: "the test pattern",
    SourceKind.CAMERA: "the camera",
    SourceKind.MIC: "the microphone",
    SourceKind.SCREEN: "the screen",
}


def parse_source(text: str) -> SourceSpec:
    lowered = text.lower()
    for prefix, kind in DEVICE_PREFIXES.items():
        if lowered.startswith(prefix):
            return SourceSpec(kind, text[len(prefix) :])
    if lowered.startswith(URL_SCHEMES):
        return SourceSpec(SourceKind.URL, text)
    return SourceSpec(SourceKind.FILE, text)
