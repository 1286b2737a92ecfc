"""What a drag carries, read from Qt's mime data into the Qt-free sorting of dropped items."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

from ingress_studio.controllers.dropped_items import SortedDrop, sort_drop


def sort_mime(mime: QMimeData) -> SortedDrop:
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    urls = [url.toString() for url in mime.urls() if not url.isLocalFile()]
    text = mime.text() if mime.hasText() and not mime.hasUrls() else ""
    return sort_drop(paths, urls, text)


def may_carry_something(mime: QMimeData) -> bool:
    """Accept the drag of anything with URLs or text: what is not taken is explained on drop, not refused
    silently at the door (a drag the window rejects shows only a forbidden cursor)."""
    return mime.hasUrls() or mime.hasText()
