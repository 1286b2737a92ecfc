"""Create or edit one ingress, without the form: what its values mean as a request, what the server would
say of it, and how it is sent.

- Create sends every field; edit sends only what changed (a string differs and is not empty — the API
  cannot clear one; options are sent whole; flags only when they change).
- Before anything is sent, the request is checked with the server's own rules (`domain.validation`), on the
  ingress as the server would hold it after an edit.
- A WHIP ingress made without transcoding keeps the deprecated bypass flag, which the server checks before
  it looks at enable_transcoding: turning transcoding on *and* choosing encoding in one update is refused,
  so that is sent as two updates.
- A refusal names its field (`display.validation_messages`), for the form to point at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.errors import ApiError
from ingress_studio.display.validation_messages import Field, FieldProblem, explain
from ingress_studio.domain.ingress_kinds import URL, WHIP, is_enabled
from ingress_studio.domain.proto_fields import merge_update
from ingress_studio.domain.validation import (
    IngressValidationError,
    transcoding_enabled,
    validate_create_request,
    validate_info,
    validate_update_request,
)

CreateSubmit = Callable[[ingress_pb.CreateIngressRequest], Awaitable[ingress_pb.IngressInfo]]
UpdateSubmit = Callable[[ingress_pb.UpdateIngressRequest], Awaitable[ingress_pb.IngressInfo]]

# (request/info field, label) of the plain strings; an update can overwrite them but never clear them.
STRING_FIELDS = (
    ("name", "Name"),
    ("room_name", "Room"),
    ("participant_identity", "Participant identity"),
    ("participant_name", "Participant name"),
    ("participant_metadata", "Participant metadata"),
)


@dataclass
class IngressForm:
    """What a form holds, as plain values (strings already trimmed where stray spaces would matter)."""

    input_type: int
    url: str = ""
    strings: dict[str, str] = field(default_factory=dict)  # by STRING_FIELDS name
    transcoding: bool = True
    enabled: bool = True
    audio: ingress_pb.IngressAudioOptions = field(default_factory=ingress_pb.IngressAudioOptions)
    video: ingress_pb.IngressVideoOptions = field(default_factory=ingress_pb.IngressVideoOptions)

    @classmethod
    def of(cls, info: ingress_pb.IngressInfo) -> IngressForm:
        """The form filled from an ingress (edit, duplicate)."""
        form = cls(
            input_type=info.input_type,
            url=info.url,
            strings={name: getattr(info, name) for name, _ in STRING_FIELDS},
            transcoding=transcoding_enabled(info),
            enabled=is_enabled(info),
        )
        form.audio.CopyFrom(info.audio)
        form.video.CopyFrom(info.video)
        return form


def _present(message: ingress_pb.IngressAudioOptions | ingress_pb.IngressVideoOptions) -> bool:
    return bool(message.ListFields())


class IngressEdit:
    """One create (`original` None) or one edit of `original`."""

    def __init__(
        self,
        original: ingress_pb.IngressInfo | None,
        submit_create: CreateSubmit | None = None,
        submit_update: UpdateSubmit | None = None,
    ) -> None:
        self.original = ingress_pb.IngressInfo()
        self.editing = original is not None
        if original is not None:
            self.original.CopyFrom(original)
        self._submit_create = submit_create
        self._submit_update = submit_update

    # -- requests ------------------------------------------------------------------------------------

    def create_request(self, form: IngressForm) -> ingress_pb.CreateIngressRequest:
        request = ingress_pb.CreateIngressRequest(input_type=form.input_type)  # type: ignore[arg-type]
        for name, _ in STRING_FIELDS:
            setattr(request, name, form.strings.get(name, ""))
        if form.input_type == URL:
            request.url = form.url
        if form.input_type == WHIP:
            # RTMP/URL leave it unset (the server's "on"); WHIP states the choice either way.
            request.enable_transcoding = form.transcoding
        request.enabled = form.enabled
        if _present(form.audio):
            request.audio.CopyFrom(form.audio)
        if _present(form.video):
            request.video.CopyFrom(form.video)
        return request

    def update_request(self, form: IngressForm) -> ingress_pb.UpdateIngressRequest:
        """Only what changed: strings that differ (an empty one cannot clear), options whole, flags if changed."""
        original = self.original
        request = ingress_pb.UpdateIngressRequest(ingress_id=original.ingress_id)
        for name, _ in STRING_FIELDS:
            value = form.strings.get(name, "")
            if value and value != getattr(original, name):
                setattr(request, name, value)
        if original.input_type == WHIP and form.transcoding != transcoding_enabled(original):
            request.enable_transcoding = form.transcoding
        if form.enabled != is_enabled(original):
            request.enabled = form.enabled
        # An empty-but-present message is sent when the form drops options the ingress has: that clears them.
        if form.audio != original.audio:
            request.audio.SetInParent()
            request.audio.CopyFrom(form.audio)
        if form.video != original.video:
            request.video.SetInParent()
            request.video.CopyFrom(form.video)
        return request

    def cleared_fields(self, form: IngressForm) -> list[str]:
        """Labels of fields the form empties that the ingress has: the API keeps their values."""
        if not self.editing:
            return []
        return [label for name, label in STRING_FIELDS if getattr(self.original, name) and not form.strings.get(name)]

    # -- what the server would say -------------------------------------------------------------------

    def server_words(self, form: IngressForm) -> str:
        """The server's message for the request the form would send now, or "" when it would be accepted."""
        try:
            if self.editing:
                request = self.update_request(form)
                validate_update_request(request)
                validate_info(self._merged(request), require_room=False)
            else:
                validate_create_request(self.create_request(form))
        except IngressValidationError as exc:
            return exc.message
        return ""

    def problem(self, form: IngressForm) -> FieldProblem | None:
        words = self.server_words(form)
        return explain(words) if words else None

    @staticmethod
    def refusal(exc: ApiError) -> FieldProblem | None:
        """The field a server's refusal is about, when it names one."""
        if not exc.server_words:
            return None
        problem = explain(exc.server_words)
        return problem if problem.field is not Field.NONE else None

    def _merged(self, request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        """The ingress as the server will hold it after this update (what it validates)."""
        merged = ingress_pb.IngressInfo()
        merged.CopyFrom(self.original)
        merge_update(request, merged)
        if request.HasField("enable_transcoding"):
            merged.bypass_transcoding = not request.enable_transcoding  # after the first of two updates
        return merged

    def needs_transcoding_first(self, request: ingress_pb.UpdateIngressRequest) -> bool:
        if not (self.original.bypass_transcoding and request.HasField("enable_transcoding")):
            return False
        if not request.enable_transcoding:
            return False
        return any(
            request.HasField(kind) and getattr(request, kind).WhichOneof("encoding_options") is not None
            for kind in ("audio", "video")
        )

    # -- sending -------------------------------------------------------------------------------------

    async def save(self, form: IngressForm) -> ingress_pb.IngressInfo:
        """Check, then send; raises ApiError (a validation failure too, with the server's words in it)."""
        words = self.server_words(form)
        if words:
            raise ApiError(f"Not sent: {words}", code="invalid_argument", server_words=words)
        if not self.editing:
            assert self._submit_create is not None, "a create needs submit_create"
            return await self._submit_create(self.create_request(form))
        assert self._submit_update is not None, "an edit needs submit_update"
        request = self.update_request(form)
        if self.needs_transcoding_first(request):
            first = ingress_pb.UpdateIngressRequest(ingress_id=request.ingress_id, enable_transcoding=True)
            # remembered, so a retry after a failed second step starts from what the server now holds
            self.original.CopyFrom(await self._submit_update(first))
            request.ClearField("enable_transcoding")
        return await self._submit_update(request)
