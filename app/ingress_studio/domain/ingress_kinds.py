"""Input types and statuses of an ingress, each named once."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb

Status = ingress_pb.IngressState.Status
LIVE_STATUSES = (Status.ENDPOINT_BUFFERING, Status.ENDPOINT_PUBLISHING)  # a session is on

RTMP = ingress_pb.IngressInput.RTMP_INPUT
WHIP = ingress_pb.IngressInput.WHIP_INPUT
URL = ingress_pb.IngressInput.URL_INPUT
INPUT_TYPE_LABELS = {RTMP: "RTMP", WHIP: "WHIP", URL: "URL"}


def is_enabled(info: ingress_pb.IngressInfo) -> bool:
    """Unset means enabled (the field is optional in the API)."""
    return info.enabled if info.HasField("enabled") else True


def is_live(info: ingress_pb.IngressInfo) -> bool:
    return info.state.status in LIVE_STATUSES
