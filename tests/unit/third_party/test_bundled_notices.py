"""Where a frozen bundle's notices are found, and the sentence when they are not; FFmpeg's build read from
the real libavutil of the installed PyAV."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

from ingress_studio.third_party.bundled_notices import NOTICES_FILE, load_notices
from ingress_studio.third_party.ffmpeg_build import is_libavutil, read_ffmpeg_build
from ingress_studio.user_error import UserError


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen app whose data folder (PyInstaller's _MEIPASS) is tmp_path/_internal."""
    data = tmp_path / "_internal"
    data.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(data), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "ingress-studio"))
    return data


def test_a_frozen_app_reads_the_file_the_build_put_in_its_data_folder(frozen: Path) -> None:
    (frozen / NOTICES_FILE).write_text("notices of the bundle\n", encoding="utf-8")
    assert load_notices() == "notices of the bundle\n"


def test_a_frozen_app_without_the_file_says_so(frozen: Path) -> None:
    with pytest.raises(UserError, match=r"This build has no THIRD-PARTY-NOTICES\.txt"):
        load_notices()


def test_unfrozen_the_notices_are_made_from_the_metadata() -> None:
    assert "Ingress Studio" in load_notices().splitlines()[1]


def test_the_ffmpeg_configuration_is_read_from_libavutil_itself() -> None:
    dist = importlib.metadata.distribution("av")
    (libavutil,) = [p for p in dist.files or [] if is_libavutil(p) and "avutil" in p.name and p.suffix != ".py"]
    build = read_ffmpeg_build(Path(str(dist.locate_file(libavutil))))
    assert build is not None
    assert build.licence == "LGPL version 3 or later"
    assert build.enabled("libx264") and build.version3 and not build.gpl_flag


def test_a_file_that_is_not_ffmpeg_gives_no_build(tmp_path: Path) -> None:
    (tmp_path / "libavutil.so.60").write_bytes(b"\x7fELF nothing here")
    assert read_ffmpeg_build(tmp_path / "libavutil.so.60") is None
    assert read_ffmpeg_build(tmp_path / "missing.so") is None
