"""Copying the fields a request actually set, between the ingress messages that share them."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.message import Message

# Fields with presence that CreateIngressRequest, UpdateIngressRequest and IngressInfo share.
OPTIONAL_INGRESS_FIELDS = ("enable_transcoding", "enabled", "audio", "video")
# The plain strings an update may overwrite (with a non-empty value: none of them can be cleared).
UPDATABLE_STRINGS = ("name", "room_name", "participant_identity", "participant_name", "participant_metadata")


def copy_present_fields(source: Message, target: Message, names: Iterable[str] = OPTIONAL_INGRESS_FIELDS) -> None:
    """For each named field that is set on source: copy a message whole, assign a scalar."""
    for name in names:
        if not source.HasField(name):
            continue
        value = getattr(source, name)
        if isinstance(value, Message):
            getattr(target, name).CopyFrom(value)
        else:
            setattr(target, name, value)


def merge_update(request: Message, info: Message) -> None:
    """What UpdateIngress does to the stored ingress, before validation: non-empty strings overwrite,
    options are replaced whole, flags only when set (livekit-server pkg/service/ingress.go)."""
    for field in UPDATABLE_STRINGS:
        value = getattr(request, field)
        if value:
            setattr(info, field, value)
    copy_present_fields(request, info)
