"""What the streamer picked to send: the test pattern, a screen, a camera, a microphone, files or a URL.

It becomes the engine's source names (as `push` takes them) and is kept between sessions as JSON, so
`--start-streaming` without files goes live with the panel's last source.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from enum import Enum
from pathlib import Path

URL_SCHEMES = ("http", "https", "rtmp", "rtmps", "srt", "rtsp")


class SourceKind(Enum):
    TEST = "test"
    SCREEN = "screen"
    CAMERA = "camera"
    MIC = "mic"
    FILES = "files"
    URL = "url"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]

    @property
    def uses_device(self) -> bool:
        return self in (SourceKind.SCREEN, SourceKind.CAMERA, SourceKind.MIC)


SOURCE_LABELS = {
    SourceKind.TEST: "Test pattern",
    SourceKind.SCREEN: "Screen",
    SourceKind.CAMERA: "Camera",
    SourceKind.MIC: "Microphone",
    SourceKind.FILES: "Files",
    SourceKind.URL: "URL",
}


def url_problem(url: str) -> str | None:
    scheme, sep, rest = url.strip().partition("://")
    if not sep or not rest:
        return "Type a stream URL, such as https://example.com/live.m3u8 or rtmp://host/app/key."
    if scheme.lower() not in URL_SCHEMES:
        return f"“{scheme}://” is not a kind of URL Ingress Studio streams from ({', '.join(URL_SCHEMES)})."
    return None


@dataclass(frozen=True)
class SourceChoice:
    kind: SourceKind = SourceKind.TEST
    files: tuple[str, ...] = ()  # paths, played in order
    loop: bool = False  # files: start again after the last one
    url: str = ""
    device: str = ""  # screen/camera/microphone: the device ("" = the system's default)
    audio: str | None = None  # audio from another source ("mic:default"); None = the source's own

    @property
    def loops(self) -> bool:
        """Only files start again; the Loop box of the files page says nothing about a camera."""
        return self.loop and self.kind is SourceKind.FILES

    def sources(self) -> tuple[str, ...]:
        """The engine's source names."""
        if self.kind is SourceKind.FILES:
            return self.files
        if self.kind is SourceKind.URL:
            return (self.url.strip(),)
        if self.kind is SourceKind.TEST:
            return ("test:",)
        return (f"{self.kind.value}:{self.device}",)

    def problem(self) -> str | None:
        """Why Start cannot go ahead with this choice, in one sentence; None when it can."""
        if self.kind is SourceKind.FILES:
            if not self.files:
                return "Add a file, or drop one on the window."
            missing = [path for path in self.files if not Path(path).is_file()]
            if missing:
                return f"“{Path(missing[0]).name}” is no longer there: remove it or add it again."
        if self.kind is SourceKind.URL:
            return url_problem(self.url)
        if self.audio is not None and self.audio == self.sources()[0]:
            return "The audio source is the source itself: choose “The source's own audio”."
        return None

    def describe(self) -> str:
        """Short words for the status line: “clip.mp4 and 2 more files, looped”."""
        if self.kind is SourceKind.FILES:
            if not self.files:
                return "no files"
            words = Path(self.files[0]).name
            if len(self.files) > 1:
                words += f" and {len(self.files) - 1} more file{'s' if len(self.files) > 2 else ''}"
            return words + (", looped" if self.loop else "")
        if self.kind is SourceKind.URL:
            return self.url.strip()
        return self.kind.label + (f" ({self.device})" if self.device else "")

    def with_files(self, paths: list[Path]) -> SourceChoice:
        return replace(self, kind=SourceKind.FILES, files=tuple(str(path) for path in paths))

    def to_json(self) -> str:
        return json.dumps(asdict(self) | {"kind": self.kind.value})

    @classmethod
    def from_json(cls, text: str) -> SourceChoice:
        """The saved choice, or the test pattern when it is missing or unreadable (never an error at start)."""
        try:
            data = json.loads(text)
            return cls(
                kind=SourceKind(data["kind"]),
                files=tuple(str(path) for path in data.get("files", ())),
                loop=bool(data.get("loop", False)),
                url=str(data.get("url", "")),
                device=str(data.get("device", "")),
                audio=str(data["audio"]) if data.get("audio") else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls()
