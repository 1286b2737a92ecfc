"""Files opened by the system one event each: held until the window is ready and the burst is over, then
one request, in the order they came; an event that names no local file is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.controllers.opened_files import OpenedFiles


def test_a_burst_before_the_window_is_one_request_once_it_is_ready(tmp_path: Path) -> None:
    opened = OpenedFiles()
    assert opened.add(str(tmp_path / "a.mp4")) and opened.add(str(tmp_path / "b.mp4"))
    assert opened.end_burst() is None  # no window yet
    assert opened.window_is_ready() == LaunchRequest((tmp_path / "a.mp4", tmp_path / "b.mp4"))
    assert opened.window_is_ready() is None and opened.end_burst() is None  # handed over once


def test_the_window_ready_in_the_middle_of_a_burst_waits_for_its_end(tmp_path: Path) -> None:
    opened = OpenedFiles()
    opened.add(str(tmp_path / "a.mp4"))
    assert opened.window_is_ready() is None
    opened.add(str(tmp_path / "b.mp4"))
    assert opened.end_burst() == LaunchRequest((tmp_path / "a.mp4", tmp_path / "b.mp4"))


def test_each_burst_after_the_window_is_ready_is_a_request_of_its_own(tmp_path: Path) -> None:
    opened = OpenedFiles()
    assert opened.window_is_ready() is None  # nothing came
    opened.add(str(tmp_path / "a.mp4"))
    assert opened.end_burst() == LaunchRequest((tmp_path / "a.mp4",))
    opened.add(str(tmp_path / "b.mp4"))
    assert opened.end_burst() == LaunchRequest((tmp_path / "b.mp4",))


def test_an_event_naming_no_local_file_is_left_alone() -> None:
    opened = OpenedFiles()
    opened.window_is_ready()
    assert not opened.add("")
    assert opened.end_burst() is None


def test_a_relative_path_is_made_absolute_like_the_command_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    opened = OpenedFiles()
    opened.window_is_ready()
    opened.add("clip.mp4")
    assert opened.end_burst() == LaunchRequest((tmp_path / "clip.mp4",))
