"""Naming the Debian package of a shared library Qt's X11 plugin cannot find."""

from __future__ import annotations

from pathlib import Path

from ingress_studio.display_check import debian_package_for, display_problem, missing_libraries


def test_debian_package_names_follow_the_soname() -> None:
    assert debian_package_for("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package_for("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package_for("libX11-xcb.so.1") == "libx11-xcb1"
    assert debian_package_for("libdbus-1.so.3") == "libdbus-1-3"
    assert debian_package_for("libglib-2.0.so.0") == "libglib2.0-0"
    ldd = "\tlibxcb-cursor.so.0 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x7f)\n"
    assert missing_libraries(ldd) == ["libxcb-cursor.so.0"]


def test_headless_platforms_and_other_systems_need_no_display() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "minimal:enable_fonts"}, "linux") is None
    assert display_problem({}, "darwin") is None and display_problem({}, "win32") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None


def test_a_wayland_session_without_wayland_display_uses_its_default_socket(tmp_path: Path) -> None:
    (tmp_path / "wayland-0").touch()  # where Qt's Wayland plugin looks when WAYLAND_DISPLAY is unset
    session = {"XDG_RUNTIME_DIR": str(tmp_path), "XDG_SESSION_TYPE": "wayland"}
    assert display_problem(session, "linux") is None
    assert display_problem({"XDG_RUNTIME_DIR": str(tmp_path), "QT_QPA_PLATFORM": "wayland"}, "linux") is None
    assert display_problem({"XDG_RUNTIME_DIR": str(tmp_path)}, "linux") is not None  # an X11 session needs DISPLAY
