"""The sandbox's "what arrived" routes, seen from the window: the latest picture and the audio levels
of a live ingress (GET /sandbox/ingress/{id}/preview.jpg and /levels, with an ingressAdmin token)."""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the HTTP stack and livekit-api load with the first preview, not with the window
    import aiohttp

from ingress_studio.config.project import Project

log = logging.getLogger(__name__)

TIMEOUT_S = 3.0
TOKEN_LIFETIME_S = 600


class SandboxPreviewClient:
    """Best effort: any failure is None (the preview is a view, never a reason to complain)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._session: aiohttp.ClientSession | None = None
        self._token = ""
        self._token_until = 0.0

    def _authorization(self) -> dict[str, str]:
        now = time.monotonic()
        if now >= self._token_until:
            from livekit import api as lkapi

            self._token = (
                lkapi.AccessToken(self.project.api_key, self.project.api_secret or "")
                .with_grants(lkapi.VideoGrants(ingress_admin=True))
                .with_ttl(datetime.timedelta(seconds=TOKEN_LIFETIME_S))
                .to_jwt()
            )
            self._token_until = now + TOKEN_LIFETIME_S / 2
        return {"Authorization": f"Bearer {self._token}"}

    async def _get(self, ingress_id: str, leaf: str) -> aiohttp.ClientResponse | None:
        import aiohttp

        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S))
        url = f"{self.project.url.rstrip('/')}/sandbox/ingress/{ingress_id}/{leaf}"
        try:
            response = await self._session.get(url, headers=self._authorization())
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            log.debug("preview %s unavailable: %r", leaf, exc)
            return None
        if response.status != 200:
            response.release()
            return None
        return response

    async def levels(self, ingress_id: str) -> dict[str, Any] | None:
        import aiohttp

        response = await self._get(ingress_id, "levels")
        if response is None:
            return None
        async with response:
            try:
                body = await response.json()
            except (TimeoutError, aiohttp.ClientError, ValueError):
                return None
        return body if isinstance(body, dict) else None

    async def picture(self, ingress_id: str) -> bytes | None:
        import aiohttp

        response = await self._get(ingress_id, "preview.jpg")
        if response is None:
            return None
        async with response:
            try:
                return await response.read()
            except (TimeoutError, aiohttp.ClientError):
                return None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
