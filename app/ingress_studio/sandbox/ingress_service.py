"""The Ingress RPCs with a real server's semantics (livekit-server pkg/service/ingress.go)."""

from __future__ import annotations

import base64
import binascii
import logging
import time
from typing import Protocol

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.domain.ingress_kinds import LIVE_STATUSES, URL, WHIP, Status
from ingress_studio.domain.proto_fields import merge_update
from ingress_studio.domain.validation import (
    IngressValidationError,
    build_info_for_create,
    check_input_type,
    validate_info,
)
from ingress_studio.sandbox.auth import Grants
from ingress_studio.sandbox.ids import new_ingress_id, new_stream_key
from ingress_studio.sandbox.store import IngressStore
from ingress_studio.sandbox.twirp import TwirpError

log = logging.getLogger(__name__)

NOT_FOUND = "ingress does not exist"
NOT_REUSABLE = "ingress is not reusable and cannot be modified"
PERMISSION_DENIED = "permissions denied"


def now_ns() -> int:
    return time.time_ns()


def _ensure_ingress_admin(grants: Grants | None) -> None:
    if grants is None or not grants.ingress_admin:
        raise TwirpError("unauthenticated", PERMISSION_DENIED)


def _invalid(exc: IngressValidationError) -> TwirpError:
    return TwirpError("invalid_argument", exc.message)


def apply_transcoding_defaults(info: ingress_pb.IngressInfo) -> None:
    """Make enable_transcoding explicit and keep the deprecated bypass_transcoding in step."""
    if info.HasField("enable_transcoding"):
        info.bypass_transcoding = not info.enable_transcoding
    elif info.input_type == WHIP:
        info.enable_transcoding = False
        info.bypass_transcoding = True
    else:
        info.enable_transcoding = True


def apply_update(request: ingress_pb.UpdateIngressRequest, info: ingress_pb.IngressInfo) -> None:
    """Non-empty strings overwrite (none can be cleared), options are replaced whole, flags if set."""
    merge_update(request, info)
    validate_info(info, require_room=False)
    apply_transcoding_defaults(info)


def _encode_page_token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"after:{seq}".encode()).decode().rstrip("=")


def _decode_page_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix != "after":
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise TwirpError("invalid_argument", "invalid page token") from exc


def end_live_state(state: ingress_pb.IngressState, status: int, error: str = "") -> None:
    """Close a live state: final status, the error if any, `ended_at`; a state not live is left alone."""
    if state.status in LIVE_STATUSES:
        state.status = status  # type: ignore[assignment]
        state.error = error
        state.ended_at = now_ns()
        state.updated_at = state.ended_at


class MediaSessions(Protocol):
    """The media side: it pulls URL ingresses and ends live sessions the API changes under it."""

    def pull_url(self, info: ingress_pb.IngressInfo) -> None: ...

    def stop_ingress(self, ingress_id: str) -> None: ...


class IngressService:
    def __init__(
        self,
        store: IngressStore,
        rtmp_base_url: str,
        whip_base_url: str,
        media: MediaSessions | None = None,
        page_size: int = 0,
    ) -> None:
        self.store = store
        self.media = media
        self.rtmp_base_url = rtmp_base_url
        self.whip_base_url = whip_base_url
        self.page_size = page_size

    def create(self, request: ingress_pb.CreateIngressRequest, grants: Grants | None) -> ingress_pb.IngressInfo:
        try:
            check_input_type(request.input_type)  # the real server checks the type before the grant
        except IngressValidationError as exc:
            raise _invalid(exc) from exc
        _ensure_ingress_admin(grants)
        try:
            info = build_info_for_create(request, stream_key=new_stream_key())
        except IngressValidationError as exc:
            raise _invalid(exc) from exc
        info.ingress_id = new_ingress_id()
        if request.input_type != URL:
            info.url = (
                self.rtmp_base_url if request.input_type == ingress_pb.IngressInput.RTMP_INPUT else (self.whip_base_url)
            )
        apply_transcoding_defaults(info)
        self.store.insert(info)
        log.info(
            "created %s (%s) in room %r",
            info.ingress_id,
            ingress_pb.IngressInput.Name(info.input_type),
            info.room_name,
        )
        if info.input_type == URL and self.media is not None:
            self.media.pull_url(info)  # a URL ingress starts at once, like the real server's
        return info

    def update(self, request: ingress_pb.UpdateIngressRequest, grants: Grants | None) -> ingress_pb.IngressInfo:
        _ensure_ingress_admin(grants)

        def change(info: ingress_pb.IngressInfo) -> None:
            if not info.reusable:
                raise TwirpError("invalid_argument", NOT_REUSABLE)
            if info.state.status == Status.ENDPOINT_ERROR:
                info.state.status = Status.ENDPOINT_INACTIVE
            try:
                apply_update(request, info)
            except IngressValidationError as exc:
                raise _invalid(exc) from exc
            # Updating a live ingress is allowed: its session ends and the encoder must reconnect.
            end_live_state(info.state, Status.ENDPOINT_INACTIVE)

        updated = self.store.modify(request.ingress_id, change)
        if updated is None:
            raise TwirpError("not_found", NOT_FOUND)
        if self.media is not None:
            self.media.stop_ingress(updated.ingress_id)
        return updated

    def list(self, request: ingress_pb.ListIngressRequest, grants: Grants | None) -> ingress_pb.ListIngressResponse:
        _ensure_ingress_admin(grants)
        if request.ingress_id:
            info = self.store.load(request.ingress_id)
            if info is None:
                raise TwirpError("not_found", NOT_FOUND)
            return ingress_pb.ListIngressResponse(items=[info])
        if self.page_size <= 0:  # like the OSS server: no paging, page_token ignored
            rows = self.store.list(request.room_name)
            return ingress_pb.ListIngressResponse(items=[info for _, info in rows])
        after = _decode_page_token(request.page_token.token) if request.page_token.token else 0
        rows = self.store.list(request.room_name, after_seq=after, limit=self.page_size + 1)
        response = ingress_pb.ListIngressResponse(items=[info for _, info in rows[: self.page_size]])
        if len(rows) > self.page_size:
            response.next_page_token.CopyFrom(
                models_pb.TokenPagination(token=_encode_page_token(rows[self.page_size - 1][0]))
            )
        return response

    def delete(self, request: ingress_pb.DeleteIngressRequest, grants: Grants | None) -> ingress_pb.IngressInfo:
        _ensure_ingress_admin(grants)
        info = self.store.delete(request.ingress_id)
        if info is None:
            raise TwirpError("not_found", NOT_FOUND)
        end_live_state(info.state, Status.ENDPOINT_INACTIVE)
        if self.media is not None:
            self.media.stop_ingress(info.ingress_id)
        log.info("deleted %s", info.ingress_id)
        return info
