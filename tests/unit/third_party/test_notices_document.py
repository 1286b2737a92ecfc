"""The notices made from this venv's real metadata: the distributions the app runs on, their licence files,
the native libraries inside the wheels (PyAV's FFmpeg and codecs, Qt, livekit's FFI), and the header that
says what they mean for the bundle's licence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingress_studio.third_party import debian_packages
from ingress_studio.third_party.notices_document import Notices, gather_notices
from ingress_studio.third_party.runtime_distributions import normalized, runtime_tree


@pytest.fixture(scope="module")
def notices() -> Notices:
    return gather_notices()


def section(text: str, title_start: str) -> str:
    """The text under the first heading that starts so, up to the next heading."""
    rule = "=" * 100
    parts = text.split(rule + "\n")
    for index, part in enumerate(parts):
        if part.startswith(title_start):
            return parts[index + 1]
    raise AssertionError(f"no section {title_start!r}")


def test_the_tree_is_what_runs_not_the_test_tools() -> None:
    names = {normalized(dist.metadata["Name"]) for dist in runtime_tree().dependencies}
    assert {"av", "aiortc", "livekit", "pyside6-essentials", "shiboken6", "keyring", "aiohttp"} <= names
    assert {"pylibsrtp", "cryptography", "multidict"} <= names  # found through the others' requirements
    # Installed in this venv by the app's `test` extra, and not shipped.
    assert not {"pytest", "mypy", "ruff", "pytest-qt", "keyrings-alt", "import-linter"} & names


def test_pyside6_is_listed_under_the_lgpl_with_its_full_text(notices: Notices) -> None:
    pyside = section(notices.text, "PySide6_Essentials ")
    assert "Licence: LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only" in pyside
    # Its wheel has no licence file: the text is given at the end, with the GPL-3.0 the LGPL builds on.
    assert "LGPL-3.0, GPL-3.0" in pyside
    qt = section(notices.text, "Qt 6 and Qt for Python (PySide6, Shiboken6) — in PySide6_Essentials")
    assert re.search(r"libQt6Core\.so\.6|Qt6Core\.dll|QtCore", qt)
    assert "weak copyleft" in qt
    texts = notices.text.split("Licence texts\n", 1)[1]
    assert "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007" in texts
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007" in texts


def test_pyav_brings_its_own_licence_file_and_ffmpeg_is_described_as_built(notices: Notices) -> None:
    av = section(notices.text, "av ")
    assert "Licence: BSD-3-Clause" in av
    assert "--- LICENSE.txt ---" in av and "Copyright retained by original committers" in av
    assert "AUTHORS.py" not in av  # a script, not a notice
    ffmpeg = section(notices.text, "FFmpeg (libavcodec")
    assert "libavcodec" in ffmpeg
    assert "As built: FFmpeg calls itself “LGPL version 3 or later” (configured without --enable-gpl)." in ffmpeg
    assert "--enable-libx264" in ffmpeg and "--enable-version3" in ffmpeg


def test_x264_and_x265_make_the_bundle_gplv3_and_the_header_says_why(notices: Notices) -> None:
    assert notices.gpl_components == ["x264 (H.264 encoder)", "x265 (H.265/HEVC encoder)"]
    x264 = section(notices.text, "x264 (H.264 encoder) — in av ")
    assert "Licence: GPL-2.0-or-later — strong copyleft" in x264
    assert re.search(r"libx264[-.]", x264)
    header = notices.text.split("Ingress Studio 0.1.0 (this application)", 1)[0]
    flat = " ".join(header.split())
    assert "x264 (GPL-2.0-or-later) and x265 (GPL-2.0-or-later)" in flat
    assert "the bundle as a whole is distributed under the GNU General Public License, version 3" in flat
    assert "opencore-amr" in flat  # an Apache-2.0 part: why it cannot be GPLv2
    assert "complete corresponding source" in flat


def test_permissive_libraries_carry_their_notice_and_livekit_its_license_md(notices: Notices) -> None:
    dav1d = section(notices.text, "dav1d (AV1 decoder) — in av ")
    assert "Copyright (c) 2018-2022, VideoLAN and dav1d authors" in dav1d
    assert "Redistributions in binary form must reproduce the above copyright notice" in dav1d
    ffi = section(notices.text, "LiveKit Rust SDK FFI")
    assert "--- livekit/rtc/resources/LICENSE.md ---" in ffi
    assert "# webrtc" in ffi and "&quot;" not in ffi  # the markdown's entities read as text


def test_every_native_library_in_the_wheels_is_identified(notices: Notices) -> None:
    assert notices.unidentified == []
    assert notices.missing == []
    assert "Not identified" not in notices.text


@pytest.mark.skipif(not debian_packages.available(), reason="the build machine is not Debian or Ubuntu")
def test_a_bundle_lists_what_pyinstaller_added_under_its_debian_package(tmp_path: Path) -> None:
    # libxkbcommon0 is one of the Qt libraries packaging/dev.sh installs; libmystery is nobody's.
    for name in ("libxkbcommon.so.0", "libmystery.so.1", "libpython3.11.so.1.0", "av.libs/libx264-d6533a8d.so.165"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    notices = gather_notices(tmp_path)
    assert notices.unidentified == ["libmystery.so.1"]
    xkb = section(notices.text, "libxkbcommon0 ")
    assert "Files (1): libxkbcommon.so.0" in xkb and "Its copyright file, /usr/share/doc/libxkbcommon0/copyright" in xkb
    assert "Permission is hereby granted" in xkb  # the package's own copyright text
    assert "libx264-d6533a8d.so.165" not in section(notices.text, "Not identified — added to the bundle")
