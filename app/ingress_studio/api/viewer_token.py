"""The join token of a hidden, subscribe-only viewer: what `watch` and the window's room view join with.

The window mints it (it has the project's secret); the watcher child only carries it to the server.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # livekit-api (and jwt, cryptography) load with the first token, not with the window
    from livekit import api as lkapi

VIEWER_IDENTITY_PREFIX = "ingress-studio-viewer-"
# Long enough for a join and reconnects of one watching session; short enough that a leaked one soon expires.
VIEWER_TOKEN_TTL = datetime.timedelta(hours=6)


def viewer_identity() -> str:
    """A fresh identity per session: two windows watching one room must not kick each other out."""
    return VIEWER_IDENTITY_PREFIX + secrets.token_hex(4)


def viewer_grants(room: str) -> lkapi.VideoGrants:
    from livekit import api as lkapi

    # can_publish and can_publish_data default to True in livekit-api: a viewer must say False (FACTS §6)
    return lkapi.VideoGrants(
        room_join=True,
        room=room,
        can_subscribe=True,
        can_publish=False,
        can_publish_data=False,
        hidden=True,
    )


def viewer_token(
    api_key: str, api_secret: str, room: str, identity: str | None = None, ttl: datetime.timedelta = VIEWER_TOKEN_TTL
) -> str:
    """A JWT that joins `room` hidden, able to subscribe and nothing else."""
    from livekit import api as lkapi

    return (
        lkapi.AccessToken(api_key, api_secret)
        .with_identity(identity or viewer_identity())
        .with_name("Ingress Studio viewer")
        .with_grants(viewer_grants(room))
        .with_ttl(ttl)
        .to_jwt()
    )
