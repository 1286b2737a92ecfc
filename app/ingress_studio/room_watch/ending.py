"""Why a watch ended, as the protocol's `ended.reason` and one sentence for a person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Reason(Enum):
    """docs/watch-protocol.md's `ended.reason` (children.watch_events.EndReason is the client's copy)."""

    STOPPED = "stopped"
    REFUSED = "refused"
    NO_PERMISSION = "no_permission"
    NO_ICE = "no_ice"
    UNREACHABLE = "unreachable"
    DISCONNECTED = "disconnected"
    FAILED = "failed"


@dataclass(frozen=True)
class Ending:
    reason: Reason
    message: str  # one sentence; "" when stopped as asked

    @property
    def ok(self) -> bool:
        return self.reason is Reason.STOPPED

    def event(self) -> dict[str, object]:
        return {"event": "ended", "ok": self.ok, "reason": self.reason.value, "message": self.message}


STOPPED = Ending(Reason.STOPPED, "")

NO_ICE_SENTENCE = (
    "This computer has only a loopback network interface, so WebRTC cannot connect to the room "
    "(any other interface is enough, even one without internet access)."
)

# The SDK's ConnectError texts (livekit 1.2.0), e.g. "engine: signal failure: client error: 401 Unauthorized -
# invalid authorization token" or "… transport connection error: IO error: Connection refused (os error 111)".
_HTTP_STATUS = re.compile(r"client error: (\d{3})[^-]*(?:- (.*))?")
_UNREACHABLE_WORDS = (
    "connection refused",
    "failed to lookup address",
    "dns error",
    "name or service not known",
    "network is unreachable",
    "no route to host",
    "connection reset",
    "timed out",
    "timeout",
)
_ICE_WORDS = ("ice", "peer connection", "peerconnection", "wait_pc_connection")


def connect_failure(url: str, error: str) -> Ending:
    """The ending for a failed `connect()`, from the SDK's error text."""
    lowered = error.lower()
    status = _HTTP_STATUS.search(error)
    code = int(status.group(1)) if status else None
    # A LiveKit server says why in the body (e.g. "requested room does not exist"): its words are the best ones.
    server_words = (status.group(2) or "").strip().rstrip(".") if status else ""
    if server_words.lstrip().startswith("<"):
        server_words = ""  # an HTML error page: not a LiveKit server's sentence
    if code in (401, 403) and "permission" in server_words.lower():
        # livekit-server answers a token without room_join (or for another room) 401 "permissions denied"
        return Ending(Reason.NO_PERMISSION, f"The server at {url} refused the join token: {server_words}.")
    if code == 401:
        why = server_words or "it is invalid, expired, or signed with another secret"
        return Ending(Reason.REFUSED, f"The server at {url} refused the join token: {why}.")
    if code == 403:
        return Ending(
            Reason.NO_PERMISSION,
            f"The server at {url} says the join token may not join this room or subscribe to it.",
        )
    if code == 404 and server_words and "not found" not in server_words.lower():
        return Ending(Reason.REFUSED, f"The server at {url} refused the join: {server_words}.")
    if code == 404:
        return Ending(
            Reason.FAILED,
            f"The server at {url} has no LiveKit room signalling (HTTP 404): check that the URL is a LiveKit server.",
        )
    if code is not None:
        why = f": {server_words}" if server_words else ""
        return Ending(Reason.REFUSED, f"The server at {url} refused to let the viewer join (HTTP {code}){why}.")
    if "signal" in lowered and any(word in lowered for word in _UNREACHABLE_WORDS):
        return Ending(Reason.UNREACHABLE, f"Nothing answers at {url}: check the URL and that the server runs.")
    if any(word in lowered for word in _ICE_WORDS) or "timed out" in lowered or "timeout" in lowered:
        return Ending(
            Reason.NO_ICE,
            f"The viewer reached {url} but WebRTC could not connect (no ICE candidate pair worked): "
            "a firewall or the server's network settings may block UDP.",
        )
    return Ending(Reason.FAILED, f"Could not join the room at {url}: {error.strip().rstrip('.')}.")


# rtc DisconnectReason names (livekit.protocol models.DisconnectReason) → what to say.
_DISCONNECT_SENTENCES = {
    "DUPLICATE_IDENTITY": "another viewer joined with the same identity",
    "SERVER_SHUTDOWN": "the server shut down",
    "PARTICIPANT_REMOVED": "the viewer was removed from the room",
    "ROOM_DELETED": "the room was deleted",
    "ROOM_CLOSED": "the room was closed",
    "STATE_MISMATCH": "the server lost track of this session",
    "JOIN_FAILURE": "the join did not complete",
    "SIGNAL_CLOSE": "the signalling connection closed",
    "CONNECTION_TIMEOUT": "the connection timed out",
    "MEDIA_FAILURE": "the media connection failed",
}


def disconnected(reason_name: str) -> Ending:
    """The server (or the network) ended a session the viewer had joined."""
    why = _DISCONNECT_SENTENCES.get(reason_name, "the connection was lost")
    return Ending(Reason.DISCONNECTED, f"The viewer left the room: {why}.")
