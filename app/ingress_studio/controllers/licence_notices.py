"""Help → Licences: the third-party notices, found in the bundle or made from the installed metadata on a
worker thread (unfrozen, that reads some fifty distributions' files: not on the GUI thread)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from ingress_studio.controllers.events import Event
from ingress_studio.third_party.bundled_notices import load_notices
from ingress_studio.user_error import UserError

log = logging.getLogger(__name__)

FAILED = "The licence notices could not be gathered (the reason is in gui.log)."


def count_matches(text: str, search: str) -> int:
    """How often `search` occurs in `text`, ignoring case (the view's search does too)."""
    needle = search.casefold()
    return text.casefold().count(needle) if needle else 0


class LicenceNotices:
    def __init__(self, load: Callable[[], str] = load_notices) -> None:
        self._load = load
        self.text: str | None = None
        self.problem: str | None = None
        self.loaded = Event[[str]]()
        self.failed = Event[[str]]()  # one sentence
        self._task: asyncio.Task[None] | None = None

    @property
    def loading(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Load once; a view opened again shows what was loaded (the bundle's notices do not change)."""
        if self.loading or self.text is not None:
            return
        self.problem = None
        self._task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            text = await asyncio.to_thread(self._load)
        except UserError as exc:
            self.problem = exc.message
        except Exception:
            log.exception("Gathering the licence notices failed")
            self.problem = FAILED
        else:
            self.text = text
            self.loaded.emit(text)
            return
        self.failed.emit(self.problem)

    async def closed(self) -> None:
        """Wait for a read under way (its thread cannot be cancelled; its result is kept)."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
