"""Native libraries told by their file names, as the Linux, macOS and Windows wheels name them."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from ingress_studio.third_party import native_components as c
from ingress_studio.third_party.native_libraries import bundle_libraries, identify, is_native_library


@pytest.mark.parametrize(
    ("name", "distribution", "component"),
    [
        ("libavcodec-5e6b81c2.so.62.28.102", "av", c.FFMPEG),  # manylinux (auditwheel)
        ("libavcodec.62.28.102.dylib", "av", c.FFMPEG),  # macOS (delocate)
        ("avcodec-62-984de33114b7fa384296817dec999c9d.dll", "av", c.FFMPEG),  # Windows (delvewheel)
        ("swscale-9-0c9886c118598c54e159ef2267ff99f3.dll", "av", c.FFMPEG),
        ("libx264-d6533a8d.so.165", "av", c.X264),
        ("libx264.165.dylib", "av", c.X264),
        ("libx264-165-f3a909470ddc2d85ed21eda3d0fb7954.dll", "av", c.X264),
        ("libx265-efe48a158520a59ef99c0a0b3eb835ae.dll", "av", c.X265),
    ],
)
def test_ffmpeg_and_the_gpl_encoders_on_every_platform(name: str, distribution: str, component: object) -> None:
    assert identify(name, distribution) is component


@pytest.mark.parametrize(
    ("name", "distribution", "component_start"),
    [
        ("libopencore-amrnb-d72c52e2.so.0.0.5", "av", "opencore-amr"),  # a hash that starts with a letter
        ("libwebpmux-e1880640.so.3.1.2", "av", "libwebp"),
        ("libdrm-b0291a67.so.2.4.0", "av", "libdrm"),
        ("libdrm-egl-server.so", "pyside6-essentials", "Qt 6"),  # a Qt plugin, whatever its name says
        ("libicui18n.so.73", "pyside6-essentials", "ICU"),
        ("msvcp140.dll", "pyside6-essentials", "Microsoft Visual C++"),
        ("libgcc_s_seh-1-4c0a762e4178b574f72d1ef1f8bb5fc9.dll", "av", "GCC runtime"),
        ("zlib1-79e0c4f9db71cb511398c504b832d395.dll", "av", "zlib"),
        ("liblivekit_ffi.dylib", "livekit", "LiveKit"),
        ("livekit_ffi.dll", "livekit", "LiveKit"),
        ("libcrypto-3-x64.dll", "", "OpenSSL"),
    ],
)
def test_the_other_libraries(name: str, distribution: str, component_start: str) -> None:
    found = identify(name, distribution)
    assert found is not None and found.name.startswith(component_start)


def test_a_library_nobody_listed_is_not_guessed() -> None:
    assert identify("libxkbcommon.so.0", "") is None
    assert identify("libcrypt.so.1", "") is None  # libxcrypt, not OpenSSL's libcrypto


@pytest.mark.parametrize(
    ("path", "native"),
    [
        ("av/_core.abi3.so", False),
        ("yaml/_yaml.cpython-311-x86_64-linux-gnu.so", False),
        ("PySide6/QtCore.pyd", False),
        ("PySide6/libpyside6.abi3.so.6.11", True),  # a library that PySide6's modules link
        ("livekit/rtc/resources/liblivekit_ffi.so", True),
        ("PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore", True),
        ("av/.dylibs/libx264.165.dylib", True),
        ("av/__init__.py", False),
    ],
)
def test_libraries_are_told_from_extension_modules(path: str, native: bool) -> None:
    assert is_native_library(PurePath(path)) is native


def test_a_bundle_scan_lists_only_what_pyinstaller_added(tmp_path: Path) -> None:
    for name in (
        "av.libs/libx264-d6533a8d.so.165",  # from the wheel: already listed under av
        "PySide6/Qt/plugins/wayland-graphics-integration-server/libdrm-egl-server.so",
        "libssl.so.3",
        "libpython3.11.so.1.0",  # the interpreter has a section of its own
        "libxkbcommon.so.0",
        "av/_core.abi3.so",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    groups = bundle_libraries(tmp_path, already_listed={"libx264-d6533a8d.so.165"})
    found = {group.component.name.split(" ")[0] if group.component else None: group.names for group in groups}
    assert found == {"Qt": ["libdrm-egl-server.so"], "OpenSSL": ["libssl.so.3"], None: ["libxkbcommon.so.0"]}
