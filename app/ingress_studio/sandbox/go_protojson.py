"""JSON into a protobuf message as Go decodes it: Twirp takes the body's first JSON value (what follows it
is never read) and gives it to protojson with DiscardUnknown.

Python's json_format lets through what protojson refuses, so these are checked first: a message must
be a JSON object (json_format takes a string's characters, or a list's items, as field names), an enum
is a name or a number (not true/false), JSON has no NaN or Infinity, a field may not appear twice (nor
by both its names), and the JSON text must be UTF-8. Duplicate keys are refused anywhere, also inside
an unknown field's value (protojson only skips those); no client sends them.
"""

from __future__ import annotations

import functools
import json
from typing import Any, cast

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

_JSON_WHITESPACE = " \t\n\r"


class ProtojsonError(ValueError):
    """Why protojson refuses this JSON (the text is for the Twirp error's cause)."""


def refuse_constant(name: str) -> Any:
    """For json's parse_constant: NaN, Infinity and -Infinity are Python's, not JSON (Go refuses them)."""
    raise ValueError(f"{name} is not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate field {json.dumps(key)}")
        result[key] = value
    return result


_DECODER = json.JSONDecoder(parse_constant=refuse_constant, object_pairs_hook=_no_duplicates)


def parse_twirp_json(body: bytes, message: Message) -> None:
    """Fill message from a Twirp JSON request body, or raise ProtojsonError."""
    text = body.decode("utf-8", errors="surrogateescape")  # bytes after the first value are never looked at
    start = len(text) - len(text.lstrip(_JSON_WHITESPACE))
    if start == len(text):
        raise ProtojsonError("the body has no JSON value")
    try:
        value, end = _DECODER.raw_decode(text, start)
        text[start:end].encode("utf-8")  # a byte that was not UTF-8 is a lone surrogate now
    except UnicodeEncodeError as exc:
        raise ProtojsonError("the JSON text is not UTF-8") from exc
    except (ValueError, RecursionError) as exc:
        raise ProtojsonError(str(exc)) from exc
    parse_json_value(value, message)


def parse_json_value(value: object, message: Message) -> None:
    """Fill message from an already decoded JSON value, or raise ProtojsonError."""
    descriptor = cast(Descriptor, message.DESCRIPTOR)
    checked = _check_message(value, descriptor, descriptor.name)
    try:
        json_format.ParseDict(checked, message, ignore_unknown_fields=True)
    except (json_format.ParseError, ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise ProtojsonError(str(exc)) from exc


_INTEGER_TYPES = (
    FieldDescriptor.CPPTYPE_INT32,
    FieldDescriptor.CPPTYPE_INT64,
    FieldDescriptor.CPPTYPE_UINT32,
    FieldDescriptor.CPPTYPE_UINT64,
    FieldDescriptor.CPPTYPE_ENUM,
)


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else "null"


@functools.cache
def _fields_by_json_key(descriptor: Descriptor) -> dict[str, FieldDescriptor]:
    fields = {field.name: field for field in descriptor.fields}
    fields.update({field.json_name: field for field in descriptor.fields})
    return fields


def _check_message(value: object, descriptor: Descriptor, path: str) -> dict[str, Any]:
    """The message's JSON object as protojson reads it, for json_format: checked, and with what
    protojson discards left out."""
    if not isinstance(value, dict):
        raise ProtojsonError(f"{path}: a message must be a JSON object, not {_json_kind(value)}")
    checked: dict[str, Any] = {}
    seen: set[int] = set()
    for key, item in value.items():
        field = _fields_by_json_key(descriptor).get(key)
        if field is None:  # unknown: json_format drops it too
            checked[key] = item
            continue
        if field.number in seen:  # by its proto name and its JSON name
            raise ProtojsonError(f"{path}: duplicate field {json.dumps(key)}")
        seen.add(field.number)
        where = f"{path}.{key}"
        if item is None:  # null means unset
            checked[key] = item
        elif field.message_type is not None and field.message_type.GetOptions().map_entry and isinstance(item, dict):
            value_field = field.message_type.fields_by_name["value"]
            entries = {k: _check_single(value_field, v, f"{where}[{json.dumps(k)}]") for k, v in item.items()}
            checked[key] = {k: v for k, v in entries.items() if v is not _DISCARDED}
        elif field.is_repeated and isinstance(item, list):
            elements = [_check_single(field, element, f"{where}[{index}]") for index, element in enumerate(item)]
            checked[key] = [element for element in elements if element is not _DISCARDED]
        elif (single := _check_single(field, item, where)) is not _DISCARDED:
            checked[key] = single
    return checked


_DISCARDED = object()


def _check_single(field: FieldDescriptor, value: object, path: str) -> object:
    """The value as protojson reads it, or _DISCARDED when protojson drops it."""
    if value is None:
        return value  # json_format refuses null where protojson does
    if field.message_type is not None:
        if field.message_type.full_name.startswith("google.protobuf."):  # well-known types have their own JSON
            return value
        return _check_message(value, field.message_type, path)
    if field.cpp_type in _INTEGER_TYPES and isinstance(value, float) and not value.is_integer():
        # 1.5, and 1e400 (read as infinity): protojson takes a number only when it is a whole one
        raise ProtojsonError(f"{path}: {value!r} is not a whole number")
    if field.enum_type is not None:
        if isinstance(value, bool):
            raise ProtojsonError(f"{path}: an enum is a name or a number, not {_json_kind(value)}")
        if isinstance(value, str) and value not in field.enum_type.values_by_name:
            return _DISCARDED  # an unknown name, with DiscardUnknown (json_format would read "1" as 1)
    return value
