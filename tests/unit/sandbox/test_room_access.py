"""Which tokens may watch a sandbox room: livekit-server's statuses and words, and a sentence for each."""

from __future__ import annotations

import pytest

from ingress_studio.sandbox.auth import Grants
from ingress_studio.sandbox.room_access import JoinRefused, viewer_grant


def grants(identity: str = "viewer", **video: object) -> Grants:
    return Grants(api_key="devkey", video={"roomJoin": True, "room": "stage", **video}, identity=identity, name="V")


def test_a_viewer_token_joins_its_room() -> None:
    grant = viewer_grant(grants(hidden=True))  # canSubscribe left out means true, as in livekit-server
    assert (grant.room, grant.identity, grant.name, grant.hidden) == ("stage", "viewer", "V", True)


@pytest.mark.parametrize(
    ("token", "status", "words"),
    [
        (None, 401, "no permissions to access the room"),
        (grants(roomJoin=False), 401, "no room_join grant"),
        (grants(identity=""), 400, "identity cannot be empty"),
        (grants(room=""), 400, "no room name"),
        (grants(identity="x" * 257), 400, "participant identity exceeds limits"),
        (grants(canSubscribe=False), 401, "does not allow subscribing"),
    ],
)
def test_refusals(token: Grants | None, status: int, words: str) -> None:
    with pytest.raises(JoinRefused) as refused:
        viewer_grant(token)
    assert refused.value.status == status
    assert words in refused.value.text
