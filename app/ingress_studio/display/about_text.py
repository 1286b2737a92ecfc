"""Help → About Ingress Studio: what the box says, as rich text (Qt-free: the versions come in)."""

from __future__ import annotations

import html
from dataclasses import dataclass

DESCRIPTION = (
    "A desktop studio for LiveKit ingresses: manage RTMP, WHIP and URL ingresses, push files, screens, "
    "cameras and microphones to them, and watch what the room sees — with an offline sandbox."
)
LINKS = (
    ("LiveKit Ingress", "https://docs.livekit.io/home/ingress/overview/"),
    ("PyAV and FFmpeg", "https://pyav.basswood.io/"),
    ("Qt for Python", "https://doc.qt.io/qtforpython-6/"),
)
LICENCE = (
    "Ingress Studio is under the Apache License 2.0. A bundle of it also carries FFmpeg with x264 and x265 "
    "(GPL) from PyAV's wheels, so the bundle as a whole is distributed under the GNU GPL version 3: "
    "Licences… says why, and lists every part with its licence."
)


@dataclass(frozen=True)
class Versions:
    app: str
    python: str
    qt: str
    pyside: str


def about_html(versions: Versions) -> str:
    links = " · ".join(f'<a href="{html.escape(url)}">{html.escape(name)}</a>' for name, url in LINKS)
    return (
        f"<h3>Ingress Studio {html.escape(versions.app)}</h3>"
        f"<p>{html.escape(DESCRIPTION)}</p>"
        f"<p>Python {html.escape(versions.python)} · Qt {html.escape(versions.qt)} · "
        f"PySide6 {html.escape(versions.pyside)}</p>"
        f"<p>{links}</p>"
        f"<p><small>{html.escape(LICENCE)}</small></p>"
    )
