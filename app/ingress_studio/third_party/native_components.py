"""The native libraries that come inside wheels (or with Python) and have no dist-info of their own: what
each one is, under which licence, whose copyright, and where its source is.

A library is known by its file name: auditwheel, delocate and delvewheel add a hash or version
(`libx264-d6533a8d.so.165`, `libx264.165.dylib`, `libx264-165-f3a9….dll`), so `files` is matched at the
start of the name, `lib` optional, up to a `-`, `.`, `_` or digit. The copyright lines are the upstream
projects' own (their COPYING/LICENSE files, as Debian's copyright files repeat them).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Copyleft(enum.Enum):
    NONE = "permissive"
    WEAK = "weak copyleft (LGPL): the library stays replaceable"
    STRONG = "strong copyleft (GPL): a work that links it is distributed under the GPL"


@dataclass(frozen=True)
class NativeComponent:
    name: str
    files: str  # a regular expression for the library's name, without `lib`, a hash or a version
    licence: str  # an SPDX expression
    copyright: str
    source: str
    texts: tuple[str, ...]  # licence_texts/ files that apply, by name
    copyleft: Copyleft = Copyleft.NONE
    note: str = ""
    # Matched only among this distribution's files (normalized name): everything native in PySide6 is Qt's.
    in_distribution: str = ""

    def matches(self, file_name: str) -> bool:
        return re.match(rf"(?:lib)?(?:{self.files})(?=[-._0-9]|$)", file_name, re.IGNORECASE) is not None


PYSIDE = "pyside6-essentials|pyside6-addons|pyside6|shiboken6"  # normalized distribution names

FFMPEG = NativeComponent(
    "FFmpeg (libavcodec, libavformat, libavutil, libavdevice, libavfilter, libswresample, libswscale)",
    r"av(?:codec|format|util|device|filter)|sw(?:resample|scale)|postproc",
    "LGPL-2.1-or-later",  # upstream's default; how this build was configured is read from libavutil itself
    "Copyright (c) 2000-2025 the FFmpeg developers",
    "https://ffmpeg.org/download.html (built for PyAV's wheels by https://github.com/PyAV-Org/pyav-ffmpeg)",
    ("LGPL-2.1", "LGPL-3.0", "GPL-3.0"),
    Copyleft.WEAK,
)
X264 = NativeComponent(
    "x264 (H.264 encoder)",
    "x264",
    "GPL-2.0-or-later",
    "Copyright (C) 2003-2025 x264 project",
    "https://code.videolan.org/videolan/x264",
    ("GPL-2.0", "GPL-3.0"),
    Copyleft.STRONG,
    "libavcodec links it: FFmpeg with x264 is, as distributed, a GPL work.",
)
X265 = NativeComponent(
    "x265 (H.265/HEVC encoder)",
    "x265",
    "GPL-2.0-or-later",
    "Copyright (C) 2013-2020 MulticoreWare, Inc; parts Copyright (C) 2003-2013 x264 project",
    "https://bitbucket.org/multicoreware/x265_git",
    ("GPL-2.0", "GPL-3.0"),
    Copyleft.STRONG,
    "libavcodec links it: FFmpeg with x265 is, as distributed, a GPL work.",
)

# The first that matches wins: in PySide6's wheels, Qt's rule takes whatever the rules before it did not
# (a Qt plugin named libdrm-egl-server is Qt's, not libdrm's).
COMPONENTS: tuple[NativeComponent, ...] = (
    NativeComponent(
        "Microsoft Visual C++ runtime",
        r"msvcp140(?:_\w+)?|vcruntime140(?:_\w+)?|concrt140|vccorlib140|ucrtbase|api-ms-win-[\w-]+",
        "LicenseRef-Microsoft-Visual-C-Redistributable",
        "Copyright (c) Microsoft Corporation",
        "https://learn.microsoft.com/cpp/windows/redistributing-visual-cpp-files",
        (),
        note="Not open source: redistributable with an application under the Visual Studio licence terms.",
    ),
    NativeComponent(
        "ICU (International Components for Unicode), used by Qt",
        "icu(?:data|i18n|uc|io|tu)",
        "Unicode-DFS-2016",
        "Copyright (c) 1991-2023 Unicode, Inc. All rights reserved.",
        "https://github.com/unicode-org/icu",
        ("Unicode-DFS-2016",),
        note="ICU 74 and later are under Unicode-3.0; ICU's LICENSE file also carries the notices of its word-break "
        "dictionaries (https://github.com/unicode-org/icu/blob/main/LICENSE).",
        in_distribution=PYSIDE,
    ),
    NativeComponent(
        "Mesa llvmpipe software OpenGL (opengl32sw, in PySide6 on Windows)",
        "opengl32sw",
        "MIT",
        "Copyright (C) 1999-2024 Brian Paul and the Mesa contributors",
        "https://mesa3d.org/",
        ("MIT",),
        in_distribution=PYSIDE,
    ),
    NativeComponent(
        "Qt 6 and Qt for Python (PySide6, Shiboken6)",
        ".+",  # every other native file of these distributions: Qt's libraries, plugins and frameworks
        "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
        "Copyright (C) The Qt Company Ltd. and other contributors",
        "https://download.qt.io/official_releases/qt/ and https://code.qt.io/cgit/pyside/pyside-setup.git",
        ("LGPL-3.0", "GPL-3.0"),
        Copyleft.WEAK,
        "Used under the LGPL-3.0: the Qt libraries are separate files in the bundle, and you may replace them with "
        "your own build of the same Qt version.",
        in_distribution=PYSIDE,
    ),
    FFMPEG,
    X264,
    X265,
    NativeComponent(
        "dav1d (AV1 decoder)",
        "dav1d",
        "BSD-2-Clause",
        "Copyright (c) 2018-2022, VideoLAN and dav1d authors",
        "https://code.videolan.org/videolan/dav1d",
        ("BSD-2-Clause",),
    ),
    NativeComponent(
        "libvpx (VP8/VP9 codec)",
        "vpx",
        "BSD-3-Clause",
        "Copyright (c) 2010, The WebM Project authors. All rights reserved.",
        "https://chromium.googlesource.com/webm/libvpx",
        ("BSD-3-Clause",),
        note="Upstream adds a patent licence grant (its PATENTS file).",
    ),
    NativeComponent(
        "Opus (audio codec)",
        "opus",
        "BSD-3-Clause",
        "Copyright 2001-2018 Xiph.Org, Skype Limited, Octasic, Jean-Marc Valin, Timothy B. Terriberry, CSIRO, "
        "Gregory Maxwell, Mark Borgerding, Erik de Castro Lopo",
        "https://opus-codec.org/",
        ("BSD-3-Clause",),
    ),
    NativeComponent(
        "LAME (MP3 encoder)",
        "mp3lame",
        "LGPL-2.0-or-later",
        "Copyright (C) 1999-2011 The LAME Project, Mark Taylor, Takehiro Tominaga, Albert L. Faber and others",
        "https://lame.sourceforge.io/",
        ("LGPL-2.0",),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "opencore-amr (AMR-NB/WB codecs)",
        "opencore-amr(?:nb|wb)",
        "Apache-2.0",
        "Copyright (C) 2009 The Android Open Source Project; Copyright (C) 1998-2009 PacketVideo",
        "https://sourceforge.net/projects/opencore-amr/",
        ("Apache-2.0",),
        note="Apache-2.0, which GPLv2 cannot take: why FFmpeg needs --enable-version3 to link it.",
    ),
    NativeComponent(
        "SVT-AV1 (AV1 encoder)",
        "svtav1enc",
        "BSD-3-Clause-Clear",
        "Copyright (c) 2019, Alliance for Open Media. All rights reserved.",
        "https://gitlab.com/AOMediaCodec/SVT-AV1",
        ("BSD-3-Clause-Clear",),
        note="Patents are licensed separately: the Alliance for Open Media Patent License 1.0 (upstream PATENTS.md).",
    ),
    NativeComponent(
        "Intel VPL dispatcher (libvpl)",
        "vpl",
        "MIT",
        "Copyright (c) 2020 Intel Corporation",
        "https://github.com/intel/libvpl",
        ("MIT",),
    ),
    NativeComponent(
        "libwebp (WebP pictures; libwebpmux, libsharpyuv)",
        "webp(?:mux|demux)?|sharpyuv",
        "BSD-3-Clause",
        "Copyright (c) 2010, Google Inc. All rights reserved.",
        "https://chromium.googlesource.com/webm/libwebp",
        ("BSD-3-Clause",),
        note="Upstream adds a patent licence grant (its PATENTS file).",
    ),
    NativeComponent(
        "GnuTLS (TLS for rtmps/https)",
        "gnutls",
        "LGPL-2.1-or-later",
        "Copyright (C) 2000-2025 Free Software Foundation, Inc. and the GnuTLS authors",
        "https://gnutls.org/",
        ("LGPL-2.1",),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "Nettle (libnettle, libhogweed)",
        "nettle|hogweed",
        "LGPL-3.0-or-later OR GPL-2.0-or-later",
        "Copyright (C) 2001-2023 Niels Möller and others",
        "https://www.lysator.liu.se/~nisse/nettle/",
        ("LGPL-3.0", "GPL-3.0"),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "GMP",
        "gmp",
        "LGPL-3.0-or-later OR GPL-2.0-or-later",
        "Copyright 1991-2023 Free Software Foundation, Inc.",
        "https://gmplib.org/",
        ("LGPL-3.0", "GPL-3.0"),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "GNU libunistring",
        "unistring",
        "LGPL-3.0-or-later OR GPL-2.0-or-later",
        "Copyright (C) 1995-2024 Free Software Foundation, Inc.",
        "https://www.gnu.org/software/libunistring/",
        ("LGPL-3.0", "GPL-3.0"),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "GNU libiconv",
        "iconv",
        "LGPL-2.1-or-later",
        "Copyright (C) 1999-2023 Free Software Foundation, Inc.",
        "https://www.gnu.org/software/libiconv/",
        ("LGPL-2.1",),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "ALSA library (libasound)",
        "asound",
        "LGPL-2.1-or-later",
        "Copyright (C) 1998-2023 Jaroslav Kysela and others",
        "https://www.alsa-project.org/",
        ("LGPL-2.1",),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "libdrm",
        "drm",
        "MIT",
        "Copyright 2005 Adam Jackson; Copyright 2000 Precision Insight, Inc.; Copyright 2000 VA Linux Systems, "
        "Inc.; Copyright 2002 Tungsten Graphics, Inc.; and others",
        "https://gitlab.freedesktop.org/mesa/drm",
        ("MIT",),
    ),
    NativeComponent(
        "libxcb (xcb, xcb-shm, xcb-shape, xcb-xfixes)",
        r"xcb(?:-[a-z]+)?",
        "X11",
        "Copyright (C) 2001-2006 Bart Massey, Jamey Sharp, and Josh Triplett. All Rights Reserved.",
        "https://xcb.freedesktop.org/",
        ("X11-libxcb",),
    ),
    NativeComponent(
        "libXau",
        "xau",
        "MIT-open-group",
        "Copyright 1988, 1998 The Open Group",
        "https://gitlab.freedesktop.org/xorg/lib/libxau",
        ("X11-libXau",),
    ),
    NativeComponent(
        "zlib",
        "zlib|z",
        "Zlib",
        "Copyright (C) 1995-2024 Jean-loup Gailly and Mark Adler",
        "https://zlib.net/",
        ("Zlib",),
    ),
    NativeComponent(
        "GCC runtime libraries (libgcc, libstdc++, libgfortran)",
        r"gcc_s(?:_seh)?|stdc\+\+|gfortran",
        "GPL-3.0-or-later WITH GCC-exception-3.1",
        "Copyright (C) Free Software Foundation, Inc.",
        "https://gcc.gnu.org/",
        ("GPL-3.0", "GCC-exception-3.1"),
        note="The runtime library exception lets compiled programs use them under any terms.",
    ),
    NativeComponent(
        "GCC's libquadmath",
        "quadmath",
        "LGPL-2.1-or-later",
        "Copyright (C) 2010-2024 Free Software Foundation, Inc.",
        "https://gcc.gnu.org/",
        ("LGPL-2.1",),
        Copyleft.WEAK,
    ),
    NativeComponent(
        "mingw-w64 winpthreads",
        "winpthread",
        "MIT AND BSD-3-Clause",
        "Copyright (c) 2011 mingw-w64 project; parts Copyright (c) 1998 John E. Bossom, Copyright (c) 1999-2005 "
        "the pthreads-win32 contributors",
        "https://www.mingw-w64.org/",
        ("MIT", "BSD-3-Clause"),
    ),
    NativeComponent(
        "CRC32C (Google's crc32c library, in google-crc32c)",
        "crc32c",
        "BSD-3-Clause",
        "Copyright 2017 The CRC32C Authors",
        "https://github.com/google/crc32c",
        ("BSD-3-Clause",),
    ),
    NativeComponent(
        "OpenBLAS (in numpy)",
        "scipy_openblas|openblas",
        "BSD-3-Clause",
        "Copyright (c) 2011-2014, The OpenBLAS Project",
        "https://github.com/OpenMathLib/OpenBLAS",
        ("BSD-3-Clause",),
        note="numpy's own licence file (above) carries OpenBLAS's and LAPACK's notices in full.",
    ),
    NativeComponent(
        "LiveKit Rust SDK FFI (liblivekit_ffi), with libwebrtc",
        "livekit_ffi",
        "Apache-2.0",
        "Copyright LiveKit, Inc.",
        "https://github.com/livekit/rust-sdks",
        ("Apache-2.0",),
        note="The licences of everything built into it (webrtc, boringssl, abseil, the Rust crates…) are in the "
        "livekit wheel's rtc/resources/LICENSE.md, reproduced in full below.",
    ),
)

# Found in a frozen bundle beside the wheels' libraries: the interpreter and what it links (PyInstaller
# collects them from the build machine), and the Microsoft C runtime on Windows.
SYSTEM_COMPONENTS: tuple[NativeComponent, ...] = (
    NativeComponent(
        "OpenSSL",
        "ssl|crypto",
        "Apache-2.0",
        "Copyright (c) 1998-2025 The OpenSSL Project Authors",
        "https://www.openssl.org/source/",
        ("Apache-2.0",),
        note="OpenSSL 3 is under Apache-2.0; versions before 3.0 were under the OpenSSL and SSLeay licences.",
    ),
    NativeComponent(
        "libffi",
        "ffi",
        "MIT",
        "Copyright (c) 1996-2024 Anthony Green, Red Hat, Inc and others",
        "https://sourceware.org/libffi/",
        ("MIT",),
    ),
    NativeComponent(
        "Expat",
        "expat",
        "MIT",
        "Copyright (c) 1998-2000 Thai Open Source Software Center Ltd and Clark Cooper; Copyright (c) 2001-2025 "
        "Expat maintainers",
        "https://libexpat.github.io/",
        ("MIT",),
    ),
    NativeComponent(
        "mpdecimal",
        "mpdec",
        "BSD-2-Clause",
        "Copyright (c) 2008-2024 Stefan Krah. All rights reserved.",
        "https://www.bytereef.org/mpdecimal/",
        ("BSD-2-Clause",),
    ),
    NativeComponent(
        "SQLite",
        "sqlite3?",
        "blessing",
        "The author disclaims copyright to this source code: SQLite is in the public domain.",
        "https://sqlite.org/",
        (),
    ),
)
