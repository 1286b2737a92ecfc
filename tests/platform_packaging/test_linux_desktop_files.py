"""The Linux desktop integration: the .desktop and AppStream files pass their validators, the desktop file
offers to open what the window takes (by shared-mime-info's types), the release is pyproject's version, the
window is named after the desktop file, and make_icons.py writes PNGs, an ICO and an ICNS as their formats
require."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication

from ingress_studio.controllers.dropped_items import MEDIA_SUFFIXES
from ingress_studio.ui.app import DESKTOP_FILE_NAME, create_application
from support.script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.ingressstudio.IngressStudio"
DESKTOP_FILE = ROOT / "resources" / "linux" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / "linux" / f"{APP_ID}.metainfo.xml"
MIME_DATABASE = Path("/usr/share/mime/packages/freedesktop.org.xml")
MIME_NS = {"mime": "http://www.freedesktop.org/standards/shared-mime-info"}
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
# Suffixes shared-mime-info gives no type: a file manager cannot offer the app for them by type.
UNTYPED_SUFFIXES = {".y4m"}
# appstreamcli's notes left as they are: the app id's capitals are given (the macOS bundle id too), and
# AppStream 1.0 calls developer_name old while 0.15 and 0.16 read nothing else.
ACCEPTED_NOTES = {"cid-contains-uppercase-letter", "developer-name-tag-deprecated"}
# A suffix's types that are not media (Qt Linguist's .ts files).
NOT_MEDIA = ("text/",)


def desktop_entry() -> dict[str, str]:
    """The [Desktop Entry] group's keys (the file has no other group)."""
    lines = DESKTOP_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    pairs = (line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (packaging/dev.sh test installs it)")
    return path


def test_the_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [validator("desktop-file-validate"), str(DESKTOP_FILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result.stdout


def test_the_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout
    issues = [line.split()[:3] for line in result.stdout.splitlines() if line[:2] in {"E:", "W:", "I:", "P:"}]
    assert not [issue for issue in issues if issue[0] in {"E:", "W:"}], result.stdout
    assert {issue[2] for issue in issues} <= ACCEPTED_NOTES, result.stdout


def test_the_desktop_file_runs_the_program_with_the_apps_icon_and_window_class() -> None:
    entry = desktop_entry()
    assert entry["Exec"] == "ingress-studio %F" and entry["TryExec"] == "ingress-studio"
    assert entry["Icon"] == APP_ID == DESKTOP_FILE_NAME
    assert entry["StartupWMClass"] == "Ingress Studio"  # Qt's WM_CLASS class: the application name


def test_the_window_is_named_after_the_desktop_file(qapp: QApplication) -> None:
    app = create_application([])
    assert app is qapp
    assert app.desktopFileName() == APP_ID
    assert app.applicationName() == desktop_entry()["StartupWMClass"]


def freedesktop_types_by_suffix() -> dict[str, set[str]]:
    if not MIME_DATABASE.is_file():
        pytest.skip(f"{MIME_DATABASE} is not there (Debian package shared-mime-info)")
    types: defaultdict[str, set[str]] = defaultdict(set)
    for mime_type in ET.parse(MIME_DATABASE).getroot().findall("mime:mime-type", MIME_NS):
        name = mime_type.attrib["type"]
        for glob in mime_type.findall("mime:glob", MIME_NS):
            pattern = glob.attrib["pattern"].lower()
            if pattern.startswith("*.") and not name.startswith(NOT_MEDIA):
                types[pattern[1:]].add(name)
    return types


def test_the_desktop_file_opens_every_type_the_window_takes_and_no_other() -> None:
    types = freedesktop_types_by_suffix()
    listed = set(filter(None, desktop_entry()["MimeType"].split(";")))
    missing = {suffix: types[suffix] - listed for suffix in MEDIA_SUFFIXES if types[suffix] - listed}
    assert not missing
    assert {suffix for suffix in MEDIA_SUFFIXES if not types[suffix]} == UNTYPED_SUFFIXES
    ours = set().union(*(types[suffix] for suffix in MEDIA_SUFFIXES))
    assert listed <= ours, f"types no suffix of the window's has: {listed - ours}"


def test_the_metainfo_names_the_desktop_file_binary_and_pyprojects_release() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert component.findtext("provides/binary") == "ingress-studio"
    releases = component.findall("releases/release")
    assert releases and releases[0].attrib["version"] == VERSION  # the newest comes first


def test_the_screenshots_share_one_base_url_and_are_the_docs_pngs() -> None:
    urls = [image.text or "" for image in ET.parse(METAINFO).getroot().iter("image")]
    bases = {url.rsplit("/", 1)[0] for url in urls}
    assert len(bases) == 1 and next(iter(bases)).startswith("https://")
    names = sorted(url.rsplit("/", 1)[1] for url in urls)
    assert names == ["create-dialog.png", "main-window.png"]
    assert all((ROOT / "docs" / name).is_file() for name in names)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def make_icons() -> ModuleType:
    return load_script(ROOT / "packaging" / "make_icons.py")


def test_make_icons_writes_the_hicolor_tree_an_ico_and_an_icns(
    qapp: QApplication, make_icons: ModuleType, tmp_path: Path
) -> None:
    icons = make_icons.make_icons(tmp_path)
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        png = (tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").read_bytes()
        assert png_size(png) == (size, size)
        assert png[25] == 6  # colour type 6: RGBA, the corners transparent
    assert (tmp_path / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == (
        ROOT / "resources" / "ingress-studio.svg"
    ).read_bytes()

    ico = icons.ico.read_bytes()
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 7)
    sizes = []
    for index in range(7):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * index : 22 + 16 * index]
        )
        side = width or 256
        assert (height or 256) == side and (planes, bits) == (1, 32)
        assert png_size(ico[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]

    icns = icons.icns.read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    entries, position = {}, 8
    while position < len(icns):
        kind, length = icns[position : position + 4].decode(), struct.unpack(">I", icns[position + 4 : position + 8])[0]
        entries[kind] = png_size(icns[position + 8 : position + length])[0]
        position += length
    assert position == len(icns)
    assert entries == {"icp4": 16, "icp5": 32, "icp6": 64, "ic07": 128, "ic08": 256, "ic09": 512, "ic10": 1024}


def test_make_icons_says_in_one_sentence_what_is_wrong(tmp_path: Path) -> None:
    script = str(ROOT / "packaging" / "make_icons.py")
    missing = subprocess.run(
        [sys.executable, script, "--out", str(tmp_path / "icons"), "--svg", str(tmp_path / "none.svg")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and missing.stderr == f"There is no SVG icon at {tmp_path / 'none.svg'}.\n"
    (tmp_path / "a-file").write_text("")
    unwritable = subprocess.run(
        [sys.executable, script, "--out", str(tmp_path / "a-file")], capture_output=True, text=True, timeout=60
    )
    assert unwritable.returncode == 2
    assert unwritable.stderr.startswith(f"Cannot write the icons into {tmp_path / 'a-file'}: ")
    assert unwritable.stderr.count("\n") == 1
