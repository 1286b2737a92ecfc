"""Twirp over HTTP as Go's twirp does it: protobuf or protojson bodies, JSON error objects."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from aiohttp import web
from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

from ingress_studio.sandbox.go_protojson import ProtojsonError, parse_twirp_json

M = TypeVar("M", bound=Message)

PROTOBUF = "application/protobuf"
JSON = "application/json"

# Twirp error code -> HTTP status (twirp spec, "Error codes").
STATUS_BY_CODE = {
    "canceled": 408,
    "unknown": 500,
    "invalid_argument": 400,
    "malformed": 400,
    "deadline_exceeded": 408,
    "not_found": 404,
    "bad_route": 404,
    "already_exists": 409,
    "permission_denied": 403,
    "unauthenticated": 401,
    "resource_exhausted": 429,
    "failed_precondition": 412,
    "aborted": 409,
    "out_of_range": 400,
    "unimplemented": 501,
    "internal": 500,
    "unavailable": 503,
    "dataloss": 500,
}


class TwirpError(Exception):
    def __init__(self, code: str, msg: str, meta: dict[str, str] | None = None) -> None:
        super().__init__(f"{code}: {msg}")
        self.code = code
        self.msg = msg
        self.meta = meta or {}

    def to_response(self) -> web.Response:
        body: dict[str, object] = {"code": self.code, "msg": self.msg}
        if self.meta:
            body["meta"] = self.meta
        # Exactly "application/json", no charset: the JS server SDK only reads the message then.
        return web.Response(
            status=STATUS_BY_CODE.get(self.code, 500),
            body=json.dumps(body).encode(),
            headers={"Content-Type": JSON},
        )


def request_content_type(request: web.Request) -> str:
    return request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


async def read_message(request: web.Request, message_type: type[M]) -> tuple[M, str]:
    """Decode the body by its content type. Returns the message and the encoding to answer in."""
    content_type = request_content_type(request)
    body = await request.read()
    message = message_type()
    if content_type == JSON:
        try:
            parse_twirp_json(body, message)
        except ProtojsonError as exc:
            raise TwirpError("malformed", "the json request could not be decoded", {"cause": str(exc)}) from exc
        return message, JSON
    if content_type == PROTOBUF:
        try:
            message.ParseFromString(body)
        except DecodeError as exc:
            raise TwirpError("malformed", "the protobuf request could not be decoded", {"cause": str(exc)}) from exc
        return message, PROTOBUF
    raise TwirpError(
        "bad_route",
        f'unexpected Content-Type: "{request.headers.get("Content-Type", "")}"',
        {"twirp_invalid_route": f"{request.method} {request.path}"},
    )


def _emit_null_messages(message: Message, data: dict[str, Any]) -> None:
    """Go's protojson with EmitUnpopulated writes unset message fields as null (oneof members excepted)."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is None or field.is_repeated or field.containing_oneof is not None:
            continue
        if message.HasField(field.name):
            value = data.get(field.name)
            if isinstance(value, dict):
                _emit_null_messages(getattr(message, field.name), value)
        else:
            data[field.name] = None
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None and field.is_repeated:
            for item, item_data in zip(getattr(message, field.name), data.get(field.name, []), strict=False):
                _emit_null_messages(item, item_data)


def message_to_go_json(message: Message) -> dict[str, Any]:
    """protojson as Go twirp writes it: proto names, unpopulated fields, int64 as strings."""
    data = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    _emit_null_messages(message, data)
    return data


def write_message(message: Message, encoding: str) -> web.Response:
    if encoding == JSON:
        body = json.dumps(message_to_go_json(message), ensure_ascii=False).encode()
        return web.Response(body=body, headers={"Content-Type": JSON})
    return web.Response(body=message.SerializeToString(), headers={"Content-Type": PROTOBUF})
