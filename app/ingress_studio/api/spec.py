"""lk-style ingress.json (protojson) ⇄ CreateIngressRequest / UpdateIngressRequest.

Accepts what `lk ingress create|update` accepts: snake_case or camelCase names, enum names or
numbers. Unknown fields are refused naming the field, because a typo silently dropped would create
an ingress that is not what the streamer wrote.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from google.protobuf import descriptor_pool, json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from livekit.protocol import ingress as ingress_pb

from ingress_studio.domain.proto_fields import copy_present_fields
from ingress_studio.user_error import UserError

M = TypeVar("M", bound=Message)

# Plain fields of an existing ingress that a CreateIngressRequest carries (besides the optional ones).
_EXPORTED_SCALARS = ("name", "room_name", "participant_identity", "participant_name", "participant_metadata")


class SpecError(UserError, ValueError):
    """An ingress.json that cannot be read; the message names the problem and where it is."""


def _field_by_json_key(descriptor: Any, key: str) -> Any:
    for field in descriptor.fields:
        if key in (field.name, field.json_name):
            return field
    return None


def _check_known_fields(data: Any, descriptor: Any, path: str) -> None:
    if not isinstance(data, dict):
        where = f"“{path}”" if path else "the top level"
        raise SpecError(f"expected a JSON object at {where}, found {type(data).__name__}")
    for key, value in data.items():
        field = _field_by_json_key(descriptor, key)
        full = f"{path}.{key}" if path else key
        if field is None:
            known = ", ".join(f.name for f in descriptor.fields)
            raise SpecError(f"unknown field “{full}” (known fields here: {known})")
        if field.type != FieldDescriptor.TYPE_MESSAGE or value is None:
            continue
        if field.is_repeated:
            if not isinstance(value, list):
                raise SpecError(f"“{full}” must be a list")
            for index, item in enumerate(value):
                _check_known_fields(item, field.message_type, f"{full}[{index}]")
        elif field.message_type.full_name.startswith("livekit."):
            _check_known_fields(value, field.message_type, full)


def parse_request(text: str, message_type: type[M]) -> M:
    """Parse JSON text into the request type, or raise SpecError with one clear sentence."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    message = message_type()
    _check_known_fields(data, message.DESCRIPTOR, "")
    try:
        json_format.ParseDict(data, message)
    except json_format.ParseError as exc:
        raise SpecError(_plain_parse_error(str(exc))) from exc
    return message


_BAD_ENUM = re.compile(
    r"Invalid enum value (?P<value>.*?) for enum type (?P<enum>[\w.]+) at \w+\.(?P<path>[\w.\[\]]+?)\.*$"
)


def _plain_parse_error(text: str) -> str:
    # protobuf says e.g. 'Failed to parse input_type field: Invalid enum value RTMP for enum type
    # livekit.IngressInput at CreateIngressRequest.input_type.': name the field and the values it takes.
    bad_enum = _BAD_ENUM.search(text)
    if bad_enum is not None:
        try:
            enum = descriptor_pool.Default().FindEnumTypeByName(bad_enum["enum"])
        except KeyError:
            enum = None
        if enum is not None:
            names = ", ".join(value.name for value in enum.values)
            return (
                f"“{bad_enum['value']}” is not a value of “{bad_enum['path']}”: use one of {names} (by name or number)"
            )
    return text.replace("Failed to parse ", "cannot read ").rstrip(".")


def parse_create_request(text: str) -> ingress_pb.CreateIngressRequest:
    return parse_request(text, ingress_pb.CreateIngressRequest)


def parse_update_request(text: str) -> ingress_pb.UpdateIngressRequest:
    request = parse_request(text, ingress_pb.UpdateIngressRequest)
    if not request.ingress_id:
        raise SpecError("an update needs “ingress_id”: the id of the ingress to change")
    return request


def message_to_spec(message: Message) -> dict[str, Any]:
    """protojson with proto (snake_case) names and enum names, as lk writes its examples."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def create_request_from_info(info: ingress_pb.IngressInfo) -> ingress_pb.CreateIngressRequest:
    """The request that would create an ingress like this one (ids, keys and state left out)."""
    request = ingress_pb.CreateIngressRequest(input_type=info.input_type)
    if info.input_type == ingress_pb.IngressInput.URL_INPUT:
        request.url = info.url
    for name in _EXPORTED_SCALARS:
        setattr(request, name, getattr(info, name))
    copy_present_fields(info, request)
    return request


def export_spec(info: ingress_pb.IngressInfo) -> dict[str, Any]:
    """An existing ingress as lk-style ingress.json content; input_type always stated."""
    request = create_request_from_info(info)
    spec = {"input_type": ingress_pb.IngressInput.Name(request.input_type)}
    spec.update(message_to_spec(request))
    return spec


def dumps_spec(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
