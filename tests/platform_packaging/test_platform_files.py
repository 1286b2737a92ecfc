"""The macOS, Windows and CI files that cannot run here, checked for what can be: the property lists load,
the file types agree with what the window takes, the version comes from pyproject.toml, the shell scripts
parse (and pass shellcheck where it is installed), the workflow is a matrix of the three systems."""

from __future__ import annotations

import ast
import plistlib
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from ingress_studio.controllers.dropped_items import MEDIA_SUFFIXES
from support.script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
SCRIPTS = sorted([*PACKAGING.glob("build_*.sh"), *(PACKAGING / "macos").glob("*.sh")], key=lambda path: path.name)


def test_the_info_plist_has_the_bundle_keys_and_opens_what_the_window_takes() -> None:
    info_plist = load_script(PACKAGING / "macos" / "info_plist.py")
    keys = plistlib.loads(plistlib.dumps(info_plist.info_plist(minimum_system="14.0")))  # what BUNDLE writes
    assert keys["CFBundleIdentifier"] == "io.ingressstudio.IngressStudio"
    assert keys["CFBundleShortVersionString"] == keys["CFBundleVersion"] == VERSION
    assert keys["NSCameraUsageDescription"] and keys["NSMicrophoneUsageDescription"]
    assert keys["NSHighResolutionCapable"] is True and keys["LSMinimumSystemVersion"] == "14.0"
    by_extension = [t for t in keys["CFBundleDocumentTypes"] if "CFBundleTypeExtensions" in t]
    assert {f".{e}" for e in by_extension[0]["CFBundleTypeExtensions"]} == MEDIA_SUFFIXES
    assert {t["LSHandlerRank"] for t in keys["CFBundleDocumentTypes"]} == {"Alternate"}  # never the default


def test_the_minimum_macos_is_the_most_demanding_wheels() -> None:
    info_plist = load_script(PACKAGING / "macos" / "info_plist.py")
    wheels = ["Tag: cp311-abi3-macosx_14_0_arm64\n", "Tag: py3-none-macosx_11_0_arm64\n", "Tag: py3-none-any\n"]
    assert info_plist.minimum_macos(wheels) == "14.0"
    assert info_plist.minimum_macos(["Tag: cp310-abi3-manylinux_2_34_x86_64\n"]) == "13.0"  # the floor


def test_the_entitlements_are_camera_microphone_and_ctypes_closures_only() -> None:
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
        "com.apple.security.device.camera": True,
        "com.apple.security.device.audio-input": True,
    }


def test_the_installer_offers_open_with_for_what_the_window_takes() -> None:
    script = (PACKAGING / "windows" / "ingress-studio.iss").read_text()
    progids = set(re.findall(r'Subkey: "Software\\Classes\\(\.[a-z0-9]+)\\OpenWithProgids"', script))
    supported = set(re.findall(r'SupportedTypes"; ValueType: string; ValueName: "(\.[a-z0-9]+)"', script))
    assert progids == supported == MEDIA_SUFFIXES
    assert "#error" in script.split("[Setup]")[0]  # no version of its own: /DAppVersion= or it stops
    assert "AppVersion={#AppVersion}" in script


def test_the_windows_version_resource_is_pyprojects_version() -> None:
    version_info = load_script(PACKAGING / "windows" / "version_info.py")
    assert version_info.numeric_version("1.2") == (1, 2, 0, 0)
    assert version_info.numeric_version("1.2.3rc1") == (1, 2, 3, 0)
    with pytest.raises(ValueError, match="does not start with a version number"):
        version_info.numeric_version("v1")
    text = version_info.version_info(VERSION)
    tree = ast.parse(text)  # PyInstaller evaluates the file as this expression
    call = tree.body[0].value  # type: ignore[attr-defined]
    assert call.func.id == "VSVersionInfo"
    assert f"StringStruct('ProductVersion', '{VERSION}')" in text
    assert f"filevers={version_info.numeric_version(VERSION)}" in text


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_shell_scripts_parse_and_pass_shellcheck(script: Path) -> None:
    subprocess.run(["bash", "-n", str(script)], check=True, timeout=30)
    if shutil.which("shellcheck"):
        result = subprocess.run(["shellcheck", "-x", str(script)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout


def test_the_workflow_builds_on_the_three_systems_and_uploads_dist() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "installers.yml").read_text())
    build = workflow["jobs"]["build"]
    assert [entry["os"] for entry in build["strategy"]["matrix"]["include"]] == [
        "ubuntu-22.04",
        "macos-14",
        "windows-2022",
    ]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "bash packaging/build.sh" in runs and "self-test" in runs
    (upload,) = [step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["with"]["if-no-files-found"] == "error"
    assert workflow[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
