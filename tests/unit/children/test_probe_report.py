"""Reading the probe's JSON report: every field typed, and anything else Unreadable, never an exception."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ingress_studio.children.probe_report import (
    ProbedAudio,
    ProbedSource,
    ProbedVideo,
    ProbeReport,
    ProbeTarget,
    read_probe_line,
)
from ingress_studio.children.unreadable import Unreadable

SOURCE: dict[str, Any] = {
    "source": "clip.mp4", "kind": "file", "container": "mov,mp4,m4a,3gp,3g2,mj2", "container_name": "QuickTime / MOV",
    "duration": 2.0, "still": False, "live": False,
    "video": {"codec": "h264", "profile": "High", "width": 1920, "height": 1080, "fps": 60.0, "b_frames": True},
    "audio": {"codec": "aac", "sample_rate": 44100, "channels": 1},
    "steps": ["Picture scaled from 1920x1080 to 1280x720."],
}  # fmt: skip
REPORT: dict[str, Any] = {
    "ok": True,
    "problem": None,
    "target": {"kind": "whip", "url": "http://h/w", "ingress_id": "IN_x", "passthrough": False},
    "profile": {"video": "720p30", "audio": "stereo", "encoder": "H264 1280x720@30 1900 kbps"},
    "sources": [SOURCE],
    "audio_source": None,
    "remux": False,
    "path": "Transcoding: re-encoding was asked for.",
    "steps": ["Transcoding: re-encoding was asked for.", "Picture scaled from 1920x1080 to 1280x720."],
    "a_field_of_a_later_version": 1,
}


def test_a_report_reads_into_typed_values() -> None:
    report = read_probe_line(json.dumps(REPORT))
    assert report == ProbeReport(
        ok=True,
        problem=None,
        target=ProbeTarget("whip", "http://h/w", "IN_x", passthrough=False),
        video_profile="720p30",
        audio_profile="stereo",
        encoder="H264 1280x720@30 1900 kbps",
        sources=(
            ProbedSource(
                "clip.mp4", "file", "mov,mp4,m4a,3gp,3g2,mj2", "QuickTime / MOV", 2.0, False, False,
                ProbedVideo("h264", "High", 1920, 1080, 60.0, True), ProbedAudio("aac", 44100, 1),
                ("Picture scaled from 1920x1080 to 1280x720.",),
            ),
        ),
        audio_source=None,
        remux=False,
        path="Transcoding: re-encoding was asked for.",
        steps=("Transcoding: re-encoding was asked for.", "Picture scaled from 1920x1080 to 1280x720."),
    )  # fmt: skip


def test_a_refusal_reads_with_its_problem_and_no_target() -> None:
    refusal = REPORT | {"ok": False, "problem": "File not found: x.mp4.", "target": None, "sources": [], "remux": None}
    report = read_probe_line(json.dumps(refusal | {"path": None, "steps": []}))
    assert isinstance(report, ProbeReport)
    assert (report.ok, report.problem, report.target, report.remux, report.path) == (
        False, "File not found: x.mp4.", None, None, None,
    )  # fmt: skip


def _broken(change: str) -> dict[str, Any]:
    report = copy.deepcopy(REPORT)
    if change == "ok without a problem":
        report["ok"] = False
    elif change == "a problem while ok":
        report["problem"] = "Something."
    elif change == "a string width":
        report["sources"][0]["video"]["width"] = "1920"
    elif change == "no steps":
        del report["steps"]
    elif change == "no profile":
        del report["profile"]
    elif change == "a list for the target":
        report["target"] = ["rtmp"]
    elif change == "a number for remux":
        report["remux"] = 1
    return report


@pytest.mark.parametrize(
    "change",
    [
        "ok without a problem", "a problem while ok", "a string width", "no steps", "no profile",
        "a list for the target", "a number for remux",
    ],
)  # fmt: skip
def test_a_report_of_the_wrong_shape_is_unreadable(change: str) -> None:
    assert isinstance(read_probe_line(json.dumps(_broken(change))), Unreadable)


@pytest.mark.parametrize("line", ["Traceback (most recent call last):", "[]", '"ok"', "{", "null"])
def test_garbage_is_unreadable(line: str) -> None:
    event = read_probe_line(line)
    assert isinstance(event, Unreadable) and event.line == line
