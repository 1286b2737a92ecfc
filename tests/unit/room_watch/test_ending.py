"""The SDK's connect errors (texts livekit 1.2.0 gives, as measured here) become a reason and one sentence."""

from __future__ import annotations

import pytest

from ingress_studio.room_watch.ending import STOPPED, Reason, connect_failure, disconnected

URL = "http://127.0.0.1:7880"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("engine: signal failure: client error: 401 Unauthorized - invalid authorization token", Reason.REFUSED),
        ("engine: signal failure: client error: 403 Forbidden - permissions denied", Reason.NO_PERMISSION),
        ("engine: signal failure: client error: 404 Not Found - 404: Not Found", Reason.FAILED),
        ("engine: signal failure: client error: 503 Service Unavailable", Reason.REFUSED),
        (
            "engine: signal failure: client error: 401 Unauthorized - permissions denied: no room_join",
            Reason.NO_PERMISSION,
        ),
        ("engine: signal failure: client error: 404 Not Found - requested room does not exist", Reason.REFUSED),
        ("engine: signal failure: client error: 404 Not Found - <html><body>no</body></html>", Reason.FAILED),
        (
            "engine: signal failure: transport connection error: IO error: Connection refused (os error 111)",
            Reason.UNREACHABLE,
        ),
        ("engine: signal failure: transport connection error: IO error: failed to lookup address", Reason.UNREACHABLE),
        ("engine: connection error: wait_pc_connection timed out", Reason.NO_ICE),
        ("engine: something new", Reason.FAILED),
    ],
)
def test_a_connect_error_has_its_reason(error: str, reason: Reason) -> None:
    ending = connect_failure(URL, error)
    assert ending.reason is reason and not ending.ok
    assert ending.message.endswith(".") and "\n" not in ending.message
    assert ending.event() == {"event": "ended", "ok": False, "reason": reason.value, "message": ending.message}


def test_the_sentences_name_the_server() -> None:
    refused = connect_failure(URL, "engine: signal failure: client error: 401 Unauthorized - invalid token")
    assert refused.message == "The server at http://127.0.0.1:7880 refused the join token: invalid token."
    bare = connect_failure(URL, "engine: signal failure: client error: 401 Unauthorized")
    assert bare.message == (
        "The server at http://127.0.0.1:7880 refused the join token: "
        "it is invalid, expired, or signed with another secret."
    )
    missing = connect_failure(
        URL, "engine: signal failure: client error: 404 Not Found - requested room does not exist"
    )
    assert missing.message == "The server at http://127.0.0.1:7880 refused the join: requested room does not exist."
    odd = connect_failure(URL, "engine: odd.")
    assert odd.message == "Could not join the room at http://127.0.0.1:7880: engine: odd."


def test_a_server_ending_the_session() -> None:
    assert disconnected("ROOM_DELETED").message == "The viewer left the room: the room was deleted."
    assert disconnected("SOMETHING_LATER").message == "The viewer left the room: the connection was lost."
    assert disconnected("ROOM_DELETED").reason is Reason.DISCONNECTED


def test_stopping_is_ok() -> None:
    assert STOPPED.ok and STOPPED.event() == {"event": "ended", "ok": True, "reason": "stopped", "message": ""}
