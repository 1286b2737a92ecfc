"""Copying the fields a request actually set, between the ingress messages that share them."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.message import Message

# Fields with presence that CreateIngressRequest, UpdateIngressRequest and IngressInfo share.
OPTIONAL_INGRESS_FIELDS = ("enable_transcoding", "enabled", "audio", "video")


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
