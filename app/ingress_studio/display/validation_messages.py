"""The server's validation words, said for a person: which field, what is wrong, and what to do.

The server (and `domain/validation.py`, which mirrors it) answers "invalid ingress: no participant identity";
a form shows "Enter a participant identity: …" at that field and keeps the server's words for a tooltip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Field(Enum):
    INPUT_TYPE = "input type"
    URL = "url"
    ROOM = "room"
    IDENTITY = "participant identity"
    ENABLED = "enabled"
    TRANSCODING = "transcoding"
    VIDEO = "video"
    AUDIO = "audio"
    NONE = ""


@dataclass(frozen=True)
class FieldProblem:
    field: Field
    sentence: str
    server_words: str


_EXACT: dict[str, tuple[Field, str]] = {
    "invalid ingress type": (Field.INPUT_TYPE, "Choose RTMP, WHIP or URL as the input type."),
    "invalid ingress: missing URL parameter": (
        Field.URL,
        "Enter the address to pull from: an http://, https:// or srt:// URL.",
    ),
    "invalid ingress: no room name": (Field.ROOM, "Enter a room: the ingress publishes into this LiveKit room."),
    "invalid ingress: no participant identity": (
        Field.IDENTITY,
        "Enter a participant identity: the ingress joins the room as this participant.",
    ),
    "invalid ingress: disabled non reusable ingress": (
        Field.ENABLED,
        "A URL ingress starts pulling as soon as it is created, so it cannot be created disabled.",
    ),
    "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type": (
        Field.TRANSCODING,
        "Only a WHIP ingress can pass media through untouched; RTMP and URL inputs are always transcoded.",
    ),
    "invalid video parameters: invalid track source": (
        Field.VIDEO,
        "Choose camera or screen share as the video source.",
    ),
    "invalid audio parameters: invalid track source": (
        Field.AUDIO,
        "Choose microphone or screen-share audio as the audio source.",
    ),
    "invalid video parameters: invalid preset": (Field.VIDEO, "Choose one of the listed video presets."),
    "invalid audio parameters: invalid preset": (Field.AUDIO, "Choose one of the listed audio presets."),
    "invalid video parameters: invalid framerate": (Field.VIDEO, "The frame rate cannot be negative."),
    "invalid video parameters: video codec unsupported": (
        Field.VIDEO,
        "Choose H.264 (baseline) or VP8: the server encodes nothing else.",
    ),
    "invalid audio parameters: audio codec unsupported": (
        Field.AUDIO,
        "Choose Opus: the server encodes no other audio.",
    ),
    "invalid audio parameters: invalid audio channel count": (
        Field.AUDIO,
        "Choose mono or stereo (at most 2 channels).",
    ),
    "invalid video parameters: invalid output media dimensions": (
        Field.VIDEO,
        "Give every video layer a width and a height.",
    ),
    "invalid ingress: layer width must be even": (Field.VIDEO, "Make every layer's width an even number of pixels."),
    "invalid ingress: layer height must be even": (Field.VIDEO, "Make every layer's height an even number of pixels."),
    "invalid video parameters: more than one layer with the same quality level": (
        Field.VIDEO,
        "Give each video layer its own quality: low, medium or high.",
    ),
    "invalid video parameters: video layers do not have increasing height with increasing quality": (
        Field.VIDEO,
        "A higher-quality layer cannot be shorter than a lower-quality one.",
    ),
    "invalid video parameters: video layers do not have increasing width with increasing quality": (
        Field.VIDEO,
        "A higher-quality layer cannot be narrower than a lower-quality one.",
    ),
}
_OPTIONS_NEED_TRANSCODING = re.compile(
    r"^invalid transcoding bypass configuration: (video|audio) encoding options must be empty if transcoding"
)
_URL_SCHEME = re.compile(r"^invalid ingress: invalid url scheme (.*)$")
_URL_PARSE = re.compile(r'^parse "(.*)": (.*)$')


def explain(server_words: str) -> FieldProblem:
    """The field and sentence for one of the server's validation messages; others are shown as they are."""
    known = _EXACT.get(server_words)
    if known is not None:
        return FieldProblem(known[0], known[1], server_words)
    if match := _OPTIONS_NEED_TRANSCODING.match(server_words):
        kind = match.group(1)
        field = Field.VIDEO if kind == "video" else Field.AUDIO
        sentence = f"Custom {kind} encoding needs transcoding: turn transcoding on, or use the server's default."
        return FieldProblem(field, sentence, server_words)
    if match := _URL_SCHEME.match(server_words):
        scheme = match.group(1)
        sentence = (
            f"“{scheme}://” addresses cannot be pulled: use an http://, https:// or srt:// URL."
            if scheme
            else "Write the whole address, with its scheme: e.g. https://example.com/live.m3u8."
        )
        return FieldProblem(Field.URL, sentence, server_words)
    if match := _URL_PARSE.match(server_words):
        return FieldProblem(Field.URL, f"This is not a valid URL ({match.group(2)}).", server_words)
    return FieldProblem(Field.NONE, server_words, server_words)
