"""The real `ingress-studio watcher` child, for the tests of its client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ingress_studio.children.watch_client import WatchClient


@pytest.fixture
async def watcher() -> AsyncIterator[WatchClient]:
    client = await WatchClient.start()
    yield client
    client.kill()  # ended already in most tests; a failed test must not leave it running
    await client.wait(30)
