"""One project's ingresses, kept fresh: the window's list without the window.

- Polling: a full list every `refresh_s()`; while the selected ingress is live, that one every
  LIVE_REFRESH_S in between (its numbers move every second, the others rarely do).
- Paused while nobody looks (`set_visible(False)`), at once again when shown.
- Stale answers never win: a list fetched for another project, or before a change made here, is dropped
  (the change is applied at once and a fresh list follows).
- Failures keep the rows already shown, say what is wrong, and retry with growing pauses — except
  wrong credentials, which no retry fixes: those wait for `refresh_now()` (Retry) or another project.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.errors import ApiError
from ingress_studio.config.project import Project
from ingress_studio.controllers.events import Event
from ingress_studio.controllers.named_tasks import NamedTasks
from ingress_studio.domain.ingress_kinds import is_enabled, is_live

if TYPE_CHECKING:  # the API stack loads with the first project, after the window is up
    from ingress_studio.api.client import IngressClient

LIVE_REFRESH_S = 0.5
MAX_RETRY_INTERVAL_S = 30.0
CLOSE_WAIT_S = 2.0


def status_line(project: Project, infos: list[ingress_pb.IngressInfo]) -> str:
    live = sum(1 for info in infos if is_live(info))
    count = len(infos)
    return f"{project.name} · {project.url} · {count} ingress{'es' if count != 1 else ''}" + (
        f" · {live} live" if live else ""
    )


class IngressList:
    def __init__(self, refresh_s: Callable[[], float]) -> None:
        self._refresh_s = refresh_s
        self._client: IngressClient | None = None
        self._infos: dict[str, ingress_pb.IngressInfo] = {}  # in the server's order
        self._poller: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._changes = 0  # bumped by every change made here; an older list must not undo it
        self._full_refresh_wanted = True
        self._visible = True
        self.selected_id: str | None = None
        self.reachable = False  # the project answered a list: only then may something be created there
        self.tasks = NamedTasks()
        # What the view binds to.
        self.listed = Event[[list[ingress_pb.IngressInfo]]]()  # the whole list, in order
        self.updated = Event[[ingress_pb.IngressInfo]]()  # one ingress, newer
        self.status = Event[[str]]()  # the status line: connecting, the summary, or the failure
        self.failed = Event[[Project, str]]()  # a list failed: the project and one sentence
        self.reachability = Event[[bool]]()
        self.connection = Event[[str, bool | None, str]]()  # project name, ok, one sentence (the picker's dot)

    # -- what is shown -------------------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self._client.project if self._client is not None else None

    @property
    def client(self) -> IngressClient | None:
        return self._client

    @property
    def infos(self) -> list[ingress_pb.IngressInfo]:
        return list(self._infos.values())

    def info(self, ingress_id: str) -> ingress_pb.IngressInfo | None:
        return self._infos.get(ingress_id)

    def switch(self, project: Project) -> bool:
        """Show this project from now on (the previous one's rows go at once); False if it is shown already."""
        if self._client is not None and self._client.project == project:
            return False  # picked again: nothing changes, so nothing is torn down
        self._stop_polling()
        self.tasks.cancel_named()
        if self._client is not None:
            self.tasks.keep(self._client.aclose())
        from ingress_studio.api.client import IngressClient

        self._client = IngressClient(project)
        self._infos = {}
        self.selected_id = None
        self._set_reachable(False)
        self.listed.emit([])
        self.status.emit(f"Connecting to {project.name} at {project.url}…")
        self._poller = asyncio.ensure_future(self._poll(self._client))
        return True

    def select(self, ingress_id: str | None) -> None:
        self.selected_id = ingress_id
        info = self._infos.get(ingress_id) if ingress_id else None
        if info is not None and is_live(info):
            self._wake.set()  # a live ingress just selected is refreshed faster from now on

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        if visible:
            self._wake.set()

    def refresh_now(self) -> None:
        self._full_refresh_wanted = True
        self._wake.set()

    def mark_unreachable(self) -> None:
        """Something outside the list says the server is gone (the sandbox child died)."""
        self._set_reachable(False)

    # -- changes made here ---------------------------------------------------------------------------

    def changed(self, info: ingress_pb.IngressInfo) -> None:
        """Show a created or updated ingress at once; a list already on its way predates it."""
        self._changes += 1
        self._infos[info.ingress_id] = info
        self.listed.emit(self.infos)
        self.refresh_now()

    def deleted(self, ingress_id: str) -> None:
        self._changes += 1
        self._infos.pop(ingress_id, None)
        self.listed.emit(self.infos)
        self.refresh_now()

    async def create(self, request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
        info = await self._require_client().create(request)
        self.changed(info)
        return info

    async def update(self, request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        info = await self._require_client().update(request)
        self.changed(info)
        return info

    async def set_enabled(self, info: ingress_pb.IngressInfo, enabled: bool) -> ingress_pb.IngressInfo:
        return await self.update(ingress_pb.UpdateIngressRequest(ingress_id=info.ingress_id, enabled=enabled))

    async def toggle_enabled(self, info: ingress_pb.IngressInfo) -> ingress_pb.IngressInfo:
        return await self.set_enabled(info, not is_enabled(info))

    async def delete(self, ingress_id: str) -> None:
        await self._require_client().delete(ingress_id)
        self.deleted(ingress_id)

    def _require_client(self) -> IngressClient:
        if self._client is None:
            raise ApiError("Pick a project first: there is no server to send this to.")
        return self._client

    # -- polling -------------------------------------------------------------------------------------

    def _selected_live_id(self) -> str | None:
        info = self._infos.get(self.selected_id) if self.selected_id else None
        return info.ingress_id if info is not None and is_live(info) else None

    def _interval(self) -> float:
        if self._selected_live_id() is not None:
            return min(self._refresh_s(), LIVE_REFRESH_S)
        return self._refresh_s()

    async def refresh_selected(self, ingress_id: str) -> None:
        """Only the selected live ingress (between full lists)."""
        client = self._client
        if client is None:
            return
        changes = self._changes
        items = await client.list(ingress_id=ingress_id)
        if client is not self._client or changes != self._changes or not items or ingress_id not in self._infos:
            return
        self._infos[ingress_id] = items[0]
        self.updated.emit(items[0])
        self.status.emit(status_line(client.project, self.infos))

    async def refresh_once(self) -> None:
        """One full list; raises ApiError on failure (the poller turns that into a status)."""
        client = self._client
        if client is None:
            return
        changes = self._changes
        items = await client.list()
        if client is not self._client:
            return  # the project changed while we waited: these rows belong to another one
        if changes != self._changes:
            self.refresh_now()  # a change was made meanwhile: this list predates it
            return
        self._infos = {info.ingress_id: info for info in items}
        self._set_reachable(True)
        self.listed.emit(self.infos)
        self.status.emit(status_line(client.project, self.infos))
        self.connection.emit(client.project.name, True, f"Connected to {client.project.url}")

    async def _poll(self, client: IngressClient) -> None:
        retry = 0.0
        last_full = 0.0
        while self._client is client:
            while not self._visible and self._client is client:
                self._wake.clear()  # hidden or minimised: nobody looks, so nothing is fetched
                await self._wake.wait()
            self._wake.clear()  # before fetching: a wake-up during the fetch must not be lost
            delay: float | None
            try:
                live_id = self._selected_live_id()
                full_due = time.monotonic() - last_full >= self._refresh_s()
                if live_id is not None and not full_due and not self._full_refresh_wanted:
                    await self.refresh_selected(live_id)
                else:
                    self._full_refresh_wanted = False
                    await self.refresh_once()
                    last_full = time.monotonic()
                retry = 0.0
                delay = self._interval()
            except ApiError as exc:
                # Keep the rows we have; say what is wrong; retry quietly with growing pauses.
                self._full_refresh_wanted = True
                retry = min(max(retry * 2, self._refresh_s()), MAX_RETRY_INTERVAL_S)
                delay = retry if exc.retry_helps else None  # wrong credentials: wait for Retry or an edit
                if self._client is not client:
                    return
                self.status.emit(exc.message + (f" Retrying in {delay:g} s." if delay else ""))
                self.connection.emit(client.project.name, False, exc.message)
                self._set_reachable(False)
                self.failed.emit(client.project, exc.message)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def _set_reachable(self, reachable: bool) -> None:
        if reachable != self.reachable:
            self.reachable = reachable
            self.reachability.emit(reachable)

    def _stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None

    async def close(self) -> None:
        poller = self._poller
        self._stop_polling()
        self.tasks.cancel_named()
        if poller is not None:
            # Let its cancellation run before close returns (a task left pending is an error at loop close),
            # bounded: under qasync a wake-up at the moment of cancelling has been seen to never come.
            await asyncio.wait([poller], timeout=CLOSE_WAIT_S)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await self.tasks.finished()
