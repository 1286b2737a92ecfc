"""Raw Twirp requests with real JWTs, as the JS SDK or curl would send them."""

from __future__ import annotations

from typing import Any

import aiohttp
from livekit.api import AccessToken, VideoGrants


def token(key: str = "devkey", secret: str = "secret", ingress_admin: bool = True) -> str:
    grants = VideoGrants(ingress_admin=True) if ingress_admin else VideoGrants(room_list=True)
    return AccessToken(key, secret).with_grants(grants).to_jwt()


async def post_json(
    url: str, method: str, body: Any, bearer: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    all_headers = {"Content-Type": "application/json"}
    if bearer is not None:
        all_headers["Authorization"] = f"Bearer {bearer}"
    all_headers.update(headers or {})
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/twirp/livekit.Ingress/{method}", json=body, headers=all_headers) as response,
    ):
        return response.status, dict(response.headers), await response.text()
