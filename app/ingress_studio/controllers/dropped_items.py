"""What a drop on the window (or `ingress-studio FILE…`) hands over, sorted: media files become the source,
an ingress .json is imported, a URL becomes a URL source, and anything else gets a sentence saying why not.

Media is told by its name alone here: the window's process opens no media file. The pre-flight probe (a
child process) then reads the files themselves, and says so if one is not what its name claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingress_studio.controllers.source_choice import url_problem

VIDEO_SUFFIXES = {
    ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".flv", ".ts", ".mts", ".m2ts", ".avi", ".wmv", ".mpg", ".mpeg",
    ".3gp", ".ogv", ".y4m",
}  # fmt: skip
AUDIO_SUFFIXES = {".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".wma", ".aiff", ".aif"}
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}  # a still, held on screen
PLAYLIST_SUFFIXES = {".m3u8"}  # an HLS playlist on disk
MEDIA_SUFFIXES = VIDEO_SUFFIXES | AUDIO_SUFFIXES | PICTURE_SUFFIXES | PLAYLIST_SUFFIXES
INGRESS_SUFFIX = ".json"


@dataclass
class SortedDrop:
    media: list[Path] = field(default_factory=list)  # in the order dropped: a playlist
    imports: list[Path] = field(default_factory=list)  # ingress .json files
    url: str | None = None  # one stream URL
    refusals: list[str] = field(default_factory=list)  # one sentence for each thing not taken


def _sort_path(path: Path, drop: SortedDrop) -> None:
    name = path.name or str(path)
    if path.is_dir():
        drop.refusals.append(f"“{name}” is a folder: drop the files inside it instead.")
    elif not path.exists():
        drop.refusals.append(f"“{name}” is not there any more.")
    elif path.suffix.lower() == INGRESS_SUFFIX:
        drop.imports.append(path)
    elif path.suffix.lower() in MEDIA_SUFFIXES:
        drop.media.append(path)
    else:
        drop.refusals.append(
            f"“{name}” is not a video, audio or picture file Ingress Studio streams, nor an ingress .json."
        )


def _sort_url(url: str, drop: SortedDrop) -> None:
    problem = url_problem(url)
    if problem is not None:
        drop.refusals.append(problem)
    elif drop.url is not None:
        drop.refusals.append(f"Only one URL can be the source: {url} was left out.")
    else:
        drop.url = url


def sort_drop(paths: list[Path], urls: list[str], text: str = "") -> SortedDrop:
    """`paths`: local files (file:// URLs made paths); `urls`: other URLs; `text`: dropped plain text, used
    only when nothing else came (a URL dragged from a browser's address bar arrives as text)."""
    drop = SortedDrop()
    for path in paths:
        _sort_path(path, drop)
    for url in urls:
        _sort_url(url, drop)
    words = text.strip()
    if not paths and not urls and words:
        if "\n" in words or " " in words:
            drop.refusals.append("The dropped text is not a file or a stream URL.")
        else:
            _sort_url(words, drop)
    if drop.media and drop.url:
        drop.refusals.append(f"Files and a URL were dropped together: the files are the source, {drop.url} is not.")
        drop.url = None
    return drop
