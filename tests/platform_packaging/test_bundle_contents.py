"""What the bundle leaves out (packaging/bundle_contents.py) and what the .deb depends on
(packaging/linux/deb_depends.py, against this machine's real dpkg-shlibdeps and a bundle of real system
libraries)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]


bundle_contents = load_script(ROOT / "packaging" / "bundle_contents.py")
QT = "PySide6/Qt"


def test_translations_and_embedded_plugins_are_left_out_and_the_desktop_ones_kept() -> None:
    assert bundle_contents.is_qt_translation(f"{QT}/translations/qtbase_de.qm")
    assert not bundle_contents.is_qt_translation("av/translations/x.qm")
    for dropped in ["platforms/libqvnc.so", "platformthemes/libqgtk3.so", "generic/libqevdevmouseplugin.so"]:
        assert bundle_contents.is_dropped_qt_plugin(f"{QT}/plugins/{dropped}"), dropped
    kept_plugins = ["platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so"]
    kept_plugins += ["platformthemes/libqxdgdesktopportal.so", "imageformats/libqsvg.so", "tls/libqopensslbackend.so"]
    for kept in kept_plugins:
        assert not bundle_contents.is_dropped_qt_plugin(f"{QT}/plugins/{kept}"), kept
    assert not bundle_contents.is_dropped_qt_plugin(f"{QT}/lib/libQt6Gui.so.6")


def test_a_library_only_a_dropped_plugin_needs_goes_with_it_and_a_shared_one_stays() -> None:
    # ldd's closure of each binary, as PyInstaller's get_imports gives it
    closures = {
        "/w/libqgtk3.so": ["libgtk-3.so.0", "libcairo.so.2", "libQt6Gui.so.6", "libz.so.1"],
        "/w/libgtk-3.so.0": ["libcairo.so.2", "libz.so.1"],
        "/w/libcairo.so.2": ["libz.so.1"],
        "/w/libqxcb.so": ["libQt6Gui.so.6", "libxcb.so.1"],
        "/w/libQt6Gui.so.6": ["libz.so.1"],
        "/w/libz.so.1": [],
        "/usr/lib/libxcb.so.1": [],
    }
    entries = [
        (f"{QT}/plugins/platformthemes/libqgtk3.so", "/w/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/w/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/w/libcairo.so.2", "BINARY"),
        (f"{QT}/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
        (f"{QT}/lib/libQt6Gui.so.6", "/w/libQt6Gui.so.6", "BINARY"),
        ("libz.so.1", "/w/libz.so.1", "BINARY"),
        ("libxcb.so.1", "/usr/lib/libxcb.so.1", "BINARY"),
        ("av.libs/libxcb-5ddf6756.so.1.1.0", "/venv/site-packages/av.libs/libxcb-5ddf6756.so.1.1.0", "BINARY"),
    ]
    closures[entries[-1][1]] = []
    kept, dropped = bundle_contents.prune_binaries(entries, closures.__getitem__, linux=True)
    assert {Path(name).name for name, _, _ in dropped} == {
        "libqgtk3.so",
        "libgtk-3.so.0",
        "libcairo.so.2",
        "libxcb.so.1",
    }
    assert {Path(name).name for name, _, _ in kept} == {
        "libqxcb.so",
        "libQt6Gui.so.6",
        "libz.so.1",
        "libxcb-5ddf6756.so.1.1.0",  # the wheel's own copy
    }
    kept_elsewhere, _ = bundle_contents.prune_binaries(entries, closures.__getitem__, linux=False)
    assert "libxcb.so.1" in {name for name, _, _ in kept_elsewhere}  # the session rule is Linux's


def system_library(soname: str) -> Path:
    output = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.strip().startswith(f"{soname} "):
            return Path(line.rsplit(" => ", 1)[1]).resolve()
    pytest.skip(f"{soname} is not installed here")


@pytest.mark.skipif(shutil.which("dpkg-shlibdeps") is None, reason="dpkg-dev is not installed (packaging/dev.sh)")
def test_the_deb_depends_on_what_the_bundle_does_not_carry_and_not_on_what_it_does(tmp_path: Path) -> None:
    # A bundle carrying libpng with its zlib: it needs libc and libm from the system, not zlib1g.
    for soname in ["libpng16.so.16", "libz.so.1"]:
        shutil.copy(system_library(soname), tmp_path / soname)
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "linux" / "deb_depends.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    packages = {part.strip().split(" ")[0] for part in result.stdout.split(",")}
    assert "libc6" in packages
    assert not packages & {"zlib1g", "libpng16-16"}, result.stdout


def test_a_bundle_needing_a_library_this_machine_lacks_is_refused_in_one_sentence(tmp_path: Path) -> None:
    # an ELF whose NEEDED names a library no package provides
    source = tmp_path / "needs.c"
    source.write_text("int main(void) { return 0; }\n")
    if shutil.which("cc") is None:
        pytest.skip("no C compiler to make the ELF")
    stub = tmp_path / "libnowhere-ingress-studio.so.7"
    subprocess.run(
        ["cc", "-shared", "-o", str(stub), "-Wl,-soname,libnowhere-ingress-studio.so.7", str(source)], check=True
    )
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    subprocess.run(["cc", "-o", str(bundle / "app"), str(source), "-Wl,--no-as-needed", str(stub)], check=True)
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "linux" / "deb_depends.py"), str(bundle)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "The bundle needs libraries this machine does not have: libnowhere-ingress-studio.so.7."
    )
