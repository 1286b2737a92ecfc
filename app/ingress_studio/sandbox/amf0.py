"""AMF0, the value encoding of RTMP commands (connect, publish, onStatus, onMetaData)."""

from __future__ import annotations

import struct
from typing import Any

NUMBER, BOOLEAN, STRING, OBJECT, NULL, UNDEFINED = 0x00, 0x01, 0x02, 0x03, 0x05, 0x06
ECMA_ARRAY, OBJECT_END, STRICT_ARRAY, DATE, LONG_STRING = 0x08, 0x09, 0x0A, 0x0B, 0x0C
MAX_DEPTH = 32  # RTMP commands nest two or three levels; deeper is a broken or hostile peer


class AmfError(ValueError):
    """The bytes are not AMF0 this reader understands."""


def decode_all(data: bytes) -> list[Any]:
    """Every value in `data`; objects and ECMA arrays become dicts, null and undefined None."""
    values: list[Any] = []
    pos = 0
    while pos < len(data):
        value, pos = _decode(data, pos, 0)
        values.append(value)
    return values


def _decode(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > MAX_DEPTH:
        raise AmfError(f"AMF0 values nested more than {MAX_DEPTH} deep")
    try:
        marker = data[pos]
        pos += 1
        if marker == NUMBER:
            return struct.unpack_from(">d", data, pos)[0], pos + 8
        if marker == BOOLEAN:
            return data[pos] != 0, pos + 1
        if marker == STRING:
            return _string(data, pos)
        if marker in (OBJECT, ECMA_ARRAY):
            if marker == ECMA_ARRAY:
                pos += 4  # the count is a hint only; the end marker is what counts
            return _properties(data, pos, depth + 1)
        if marker in (NULL, UNDEFINED):
            return None, pos
        if marker == STRICT_ARRAY:
            (count,) = struct.unpack_from(">I", data, pos)
            pos += 4
            items = []
            for _ in range(count):
                item, pos = _decode(data, pos, depth + 1)
                items.append(item)
            return items, pos
        if marker == DATE:
            return struct.unpack_from(">d", data, pos)[0], pos + 10
        if marker == LONG_STRING:
            (length,) = struct.unpack_from(">I", data, pos)
            return data[pos + 4 : pos + 4 + length].decode("utf-8", "replace"), pos + 4 + length
    except (IndexError, struct.error) as exc:
        raise AmfError("truncated AMF0 value") from exc
    raise AmfError(f"unsupported AMF0 type 0x{marker:02x}")


def _string(data: bytes, pos: int) -> tuple[str, int]:
    (length,) = struct.unpack_from(">H", data, pos)
    end = pos + 2 + length
    if end > len(data):
        raise AmfError("truncated AMF0 string")
    return data[pos + 2 : end].decode("utf-8", "replace"), end


def _properties(data: bytes, pos: int, depth: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while True:
        key, pos = _string(data, pos)
        if not key and data[pos] == OBJECT_END:
            return result, pos + 1
        result[key], pos = _decode(data, pos, depth)


def encode(*values: Any) -> bytes:
    return b"".join(_encode(value) for value in values)


def _encode(value: Any) -> bytes:
    if value is None:
        return bytes([NULL])
    if isinstance(value, bool):
        return bytes([BOOLEAN, 1 if value else 0])
    if isinstance(value, int | float):
        return bytes([NUMBER]) + struct.pack(">d", float(value))
    if isinstance(value, str):
        raw = value.encode()
        return bytes([STRING]) + struct.pack(">H", len(raw)) + raw
    if isinstance(value, dict):
        body = b"".join(struct.pack(">H", len(k.encode())) + k.encode() + _encode(v) for k, v in value.items())
        return bytes([OBJECT]) + body + b"\x00\x00" + bytes([OBJECT_END])
    raise TypeError(f"cannot encode {type(value).__name__} as AMF0")
