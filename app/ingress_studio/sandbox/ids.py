"""Ids and stream keys shaped like the real server's (livekit/protocol utils/guid)."""

from __future__ import annotations

import secrets

ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ID_LENGTH = 12
INGRESS_PREFIX = "IN_"


def random_id(prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def new_ingress_id() -> str:
    return random_id(INGRESS_PREFIX)


def new_stream_key() -> str:
    return random_id()
