"""The rtc SDK's native library (liblivekit_ffi), loaded the way the SDK loads it, to show it is there.

The SDK finds it by ctypes in `livekit/rtc/resources` (or at $LIVEKIT_LIB_PATH), which no PyInstaller hook
collects by itself (FACTS §7): a build without it imports fine and fails only at the first join. Loading is
all this does; the SDK's runtime starts with its first request, which the watcher makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ENTRY_POINT = "livekit_ffi_request"  # what the SDK calls for everything: the file is its library


@dataclass(frozen=True)
class SdkLibrary:
    path: Path
    size: int  # bytes


def load_sdk_library() -> SdkLibrary:
    """The loaded library; OSError (or the SDK's own exception) when it cannot be loaded."""
    from livekit.rtc._ffi_client import get_ffi_lib  # the SDK's own loader: the same file a join would use

    library = get_ffi_lib()
    getattr(library, ENTRY_POINT)  # AttributeError if the file is some other library
    path = Path(library._name)
    return SdkLibrary(path, path.stat().st_size)
