"""Whether a token may join a sandbox room as a viewer; a refusal has livekit-server's HTTP status and a
sentence saying what to change.

As livekit-server: the room comes from the token's `video.room` with `roomJoin`, the identity from `sub`;
`canSubscribe` left out means true. The sandbox's rooms only take viewers, so a token that may not
subscribe is refused (livekit-server would let it in to publish).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingress_studio.sandbox.auth import Grants

MAX_IDENTITY_LENGTH = 256  # livekit-server's default limits
MAX_ROOM_NAME_LENGTH = 256


class JoinRefused(Exception):
    """Answered with this HTTP status and plain-text body, as livekit-server's HandleError does."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


@dataclass(frozen=True)
class ViewerGrant:
    room: str
    identity: str
    name: str
    hidden: bool


def viewer_grant(grants: Grants | None) -> ViewerGrant:
    """The room and identity a token joins with, or JoinRefused."""
    if grants is None:
        raise JoinRefused(401, "no permissions to access the room: the request carries no access token")
    video = grants.video
    if video.get("roomJoin") is not True:
        raise JoinRefused(
            401,
            "permissions denied: this token may not join rooms (it has no room_join grant); make one with room_join",
        )
    room = video.get("room") or ""
    if not grants.identity:
        raise JoinRefused(400, "identity cannot be empty: make the token with an identity")
    if len(grants.identity) > MAX_IDENTITY_LENGTH:
        raise JoinRefused(400, f"participant identity exceeds limits: max length {MAX_IDENTITY_LENGTH}")
    if not room:
        raise JoinRefused(400, "no room name: the token's room_join grant names no room")
    if len(room) > MAX_ROOM_NAME_LENGTH:
        raise JoinRefused(400, f"room name exceeds limits: max length {MAX_ROOM_NAME_LENGTH}")
    if video.get("canSubscribe") is False:
        raise JoinRefused(
            401,
            "permissions denied: the token does not allow subscribing (can_subscribe), and the sandbox's "
            "rooms only take viewers",
        )
    return ViewerGrant(room=room, identity=grants.identity, name=grants.name, hidden=video.get("hidden") is True)
