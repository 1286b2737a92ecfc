"""A token's claims with the JSON types livekit-server decodes them into (golang-jwt's RegisteredClaims and
livekit/protocol's auth.ClaimGrants, VideoGrant…): each claim it knows has one type, null counts as
absent, unknown claims are ignored, and a claim of another type fails the decoding of the whole token,
which is a 401. Python's truthiness would make the string "false" an ingressAdmin grant.

(Go also matches JSON keys regardless of case, so "INGRESSADMIN" would fill IngressAdmin there; the
sandbox reads the keys as the SDKs write them.)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from livekit.protocol.room import RoomConfiguration

from ingress_studio.sandbox.go_protojson import ProtojsonError, parse_json_value

STRING = "string"
BOOL = "bool"
STRINGS = "[]string"
STRING_MAP = "map[string]string"
NUMERIC_DATE = "jwt.NumericDate"  # a number, or a string holding one
AUDIENCE = "jwt.ClaimStrings"  # a string or an array of strings
ROOM_CONFIG = "auth.RoomConfiguration"  # protojson


@dataclass(frozen=True)
class GoStruct:
    name: str
    fields: dict[str, str | GoStruct]


REGISTERED_CLAIMS = GoStruct(
    "RegisteredClaims",
    {
        "iss": STRING,
        "sub": STRING,
        "aud": AUDIENCE,
        "exp": NUMERIC_DATE,
        "nbf": NUMERIC_DATE,
        "iat": NUMERIC_DATE,
        "jti": STRING,
    },
)
_VIDEO_BOOLS = [
    "roomCreate",
    "roomList",
    "roomRecord",
    "roomAdmin",
    "roomJoin",
    "canPublish",
    "canSubscribe",
    "canPublishData",
    "canUpdateOwnMetadata",
    "ingressAdmin",
    "hidden",
    "recorder",
    "agent",
    "canSubscribeMetrics",
    "canManageAgentSession",
]
VIDEO_GRANT = GoStruct(
    "VideoGrant",
    {
        **dict.fromkeys(_VIDEO_BOOLS, BOOL),
        "room": STRING,
        "destinationRoom": STRING,
        "canPublishSources": STRINGS,
    },
)
TOKEN_CLAIMS = GoStruct(
    "tokenClaims",
    {
        **REGISTERED_CLAIMS.fields,
        "identity": STRING,
        "name": STRING,
        "kind": STRING,
        "kindDetails": STRINGS,
        "video": VIDEO_GRANT,
        "sip": GoStruct("SIPGrant", {"admin": BOOL, "call": BOOL}),
        "agent": GoStruct("AgentGrant", {"admin": BOOL, "simulationAdmin": BOOL, "databaseAdmin": BOOL}),
        "inference": GoStruct("InferenceGrant", {"perform": BOOL}),
        "observability": GoStruct("ObservabilityGrant", {"write": BOOL}),
        "roomConfig": ROOM_CONFIG,
        "roomPreset": STRING,
        "sha256": STRING,
        "metadata": STRING,
        "attributes": STRING_MAP,
    },
)

_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def registered_claims_problem(claims: dict[str, Any]) -> str | None:
    """What stops Go decoding the registered claims (iss, exp…), or None."""
    return _struct_problem(claims, REGISTERED_CLAIMS, "")


def claims_problem(claims: dict[str, Any]) -> str | None:
    """What stops Go decoding the whole token's claims, in the words of Go's encoding/json, or None."""
    return _struct_problem(claims, TOKEN_CLAIMS, "")


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _type_error(value: object, struct: str, path: str, go_type: str) -> str:
    return f"json: cannot unmarshal {_json_kind(value)} into Go struct field {struct}.{path} of type {go_type}"


def _struct_problem(value: dict[str, Any], struct: GoStruct, prefix: str) -> str | None:
    for key, item in value.items():
        kind = struct.fields.get(key)
        if kind is None or item is None:  # unknown claims are ignored; null leaves a field as it is
            continue
        path = f"{prefix}{key}"
        if isinstance(kind, GoStruct):
            if not isinstance(item, dict):
                return _type_error(item, struct.name, path, f"auth.{kind.name}")
            problem = _struct_problem(item, kind, f"{path}.")
        else:
            problem = _field_problem(item, kind, struct.name, path)
        if problem:
            return problem
    return None


def _field_problem(value: object, kind: str, struct: str, path: str) -> str | None:
    if kind in (STRING, BOOL):
        return None if isinstance(value, str if kind == STRING else bool) else _type_error(value, struct, path, kind)
    if kind == STRINGS:
        if not isinstance(value, list):
            return _type_error(value, struct, path, STRINGS)
        wrong = [item for item in value if item is not None and not isinstance(item, str)]
        return _type_error(wrong[0], struct, path, STRING) if wrong else None
    if kind == STRING_MAP:
        if not isinstance(value, dict):
            return _type_error(value, struct, path, STRING_MAP)
        wrong = [item for item in value.values() if item is not None and not isinstance(item, str)]
        return _type_error(wrong[0], struct, path, STRING) if wrong else None
    if kind == AUDIENCE:
        valid = isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        return None if valid else "invalid type for claim"
    if kind == NUMERIC_DATE:
        return None if _is_numeric_date(value) else f"could not parse NumericDate at {path}"
    try:  # ROOM_CONFIG
        parse_json_value(value, RoomConfiguration())
    except ProtojsonError as exc:
        return f"proto: {exc}"
    return None


def _is_numeric_date(value: object) -> bool:
    if isinstance(value, str) and _JSON_NUMBER.fullmatch(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))  # Go reads it as a float64
    except OverflowError:
        return False
