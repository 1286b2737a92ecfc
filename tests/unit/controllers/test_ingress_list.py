"""The window's list without the window: the IngressList controller against a real sandbox, no Qt."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.controllers.ingress_list import LIVE_REFRESH_S, IngressList
from support.live_state import push_test_pattern
from support.sandbox_process import SandboxServer
from support.waiting import until

REFRESH_S = 0.3


class Seen:
    """Everything the controller announced, in order."""

    def __init__(self, ingresses: IngressList) -> None:
        self.lists: list[list[str]] = []
        self.updates: list[tuple[float, ingress_pb.IngressInfo]] = []
        self.statuses: list[str] = []
        self.failures: list[str] = []
        ingresses.listed.connect(lambda infos: self.lists.append([info.name for info in infos]))
        ingresses.updated.connect(lambda info: self.updates.append((time.monotonic(), info)))
        ingresses.status.connect(self.statuses.append)
        ingresses.failed.connect(lambda _project, sentence: self.failures.append(sentence))


def request(name: str) -> ingress_pb.CreateIngressRequest:
    created = ingress_pb.CreateIngressRequest(input_type=ingress_pb.RTMP_INPUT, name=name, room_name="r")
    created.participant_identity = name
    return created


@pytest.fixture
async def ingresses() -> AsyncIterator[IngressList]:
    controller = IngressList(refresh_s=lambda: REFRESH_S)
    yield controller
    await controller.close()


def test_the_controllers_import_no_qt() -> None:
    """They are the window's behaviour without the window (pytest-qt has Qt loaded here: ask a fresh process)."""
    probe = (
        "import sys, ingress_studio.controllers.ingress_list, ingress_studio.controllers.ingress_edit,"
        " ingress_studio.controllers.go_live;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'av')))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


async def test_a_project_is_listed_and_a_change_shows_at_once(
    ingresses: IngressList, fresh_sandbox: SandboxServer
) -> None:
    seen = Seen(ingresses)
    async with IngressClient(fresh_sandbox.project()) as client:
        await client.create(request("first"))
    assert ingresses.switch(fresh_sandbox.project())
    assert not ingresses.switch(fresh_sandbox.project())  # the same project again changes nothing
    await until(lambda: ingresses.reachable, what="first list")
    assert seen.lists[0] == [] and seen.lists[-1] == ["first"]
    assert seen.statuses[0].startswith("Connecting to Test sandbox")
    assert seen.statuses[-1].endswith("· 1 ingress")
    created = await ingresses.create(request("second"))
    assert seen.lists[-1] == ["first", "second"]  # shown before any list returns
    await ingresses.toggle_enabled(created)
    assert ingresses.info(created.ingress_id) is not None and not ingresses.info(created.ingress_id).enabled  # type: ignore[union-attr]
    await ingresses.delete(created.ingress_id)
    assert seen.lists[-1] == ["first"]
    await until(lambda: seen.statuses[-1].endswith("· 1 ingress"), what="a list after the changes")


async def test_switching_drops_the_old_projects_answers(ingresses: IngressList, tmp_path: Path) -> None:
    first, second = SandboxServer(tmp_path / "a").start(), SandboxServer(tmp_path / "b").start()
    try:
        async with IngressClient(first.project()) as client:
            await client.create(request("from-a"))
        seen = Seen(ingresses)
        ingresses.switch(first.project())
        b = second.project()
        ingresses.switch(type(b)("Other", b.url, b.api_key, b.api_secret, b.source))  # before A answered
        await until(lambda: ingresses.reachable, what="the second project's list")
        await asyncio.sleep(3 * REFRESH_S)
        assert all("from-a" not in names for names in seen.lists), seen.lists
    finally:
        first.stop()
        second.stop()


async def test_wrong_credentials_wait_for_retry_and_a_dead_server_backs_off(
    ingresses: IngressList, fresh_sandbox: SandboxServer
) -> None:
    seen = Seen(ingresses)
    ingresses.switch(fresh_sandbox.project(secret="not-the-secret"))
    await until(lambda: bool(seen.failures), what="the 401")
    assert "rejected the API key or secret" in seen.failures[0] and "Retrying" not in seen.statuses[-1]
    await asyncio.sleep(6 * REFRESH_S)
    assert len(seen.failures) == 1  # no retry can fix credentials: none is made by itself
    ingresses.refresh_now()  # Retry
    await until(lambda: len(seen.failures) == 2, what="the retry")

    ingresses.switch(fresh_sandbox.project())
    await until(lambda: ingresses.reachable, what="a good list")
    rows = ingresses.infos
    assert fresh_sandbox.stop() == 0
    ingresses.refresh_now()
    await until(lambda: "Retrying in" in seen.statuses[-1], what="a connection failure")
    assert not ingresses.reachable and ingresses.infos == rows  # the rows shown are kept


async def test_hidden_means_no_requests_and_a_live_selection_is_refreshed_faster(
    ingresses: IngressList, fresh_sandbox: SandboxServer
) -> None:
    ingresses_seen = Seen(ingresses)
    async with IngressClient(fresh_sandbox.project()) as client:
        info = await client.create(request("cam"))
    ingresses.switch(fresh_sandbox.project())
    await until(lambda: ingresses.reachable, what="first list")
    ingresses.set_visible(False)
    await asyncio.sleep(REFRESH_S)  # a request already out may still land
    count = len(ingresses_seen.statuses)
    await asyncio.sleep(5 * REFRESH_S)
    assert len(ingresses_seen.statuses) == count  # nobody looks: nothing fetched
    ingresses.set_visible(True)
    await until(lambda: len(ingresses_seen.statuses) > count, timeout_s=2, what="a list once shown")

    slow = IngressList(refresh_s=lambda: 5.0)  # full lists far apart: the fast ones are the live selection's
    seen = Seen(slow)
    pushing = push_test_pattern(fresh_sandbox, info.ingress_id, seconds=8)
    try:
        slow.switch(fresh_sandbox.project())
        await until(lambda: slow.reachable, what="first list")
        slow.select(info.ingress_id)
        await until(lambda: len(seen.updates) >= 4, timeout_s=20, what="fast updates of the live selection")
        gaps = [later - earlier for (earlier, _), (later, _) in zip(seen.updates, seen.updates[1:], strict=False)]
        assert max(gaps) < 5.0 and min(gaps) >= LIVE_REFRESH_S * 0.8, gaps
        assert seen.updates[-1][1].state.status == ingress_pb.IngressState.ENDPOINT_PUBLISHING
    finally:
        await slow.close()
        await pushing
