"""The ingress server's own validation rules and messages (livekit/protocol ingress.Validate).

Used twice: by the client before sending, so a mistake is shown at once, and by the sandbox, which
must refuse exactly what a real server refuses with exactly the same words.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.domain.ingress_kinds import RTMP, URL, WHIP
from ingress_studio.domain.proto_fields import copy_present_fields

PULL_URL_SCHEMES = ("http", "https", "srt")

_VIDEO_SOURCES = (
    models_pb.TrackSource.UNKNOWN,
    models_pb.TrackSource.CAMERA,
    models_pb.TrackSource.SCREEN_SHARE,
)
_AUDIO_SOURCES = (
    models_pb.TrackSource.UNKNOWN,
    models_pb.TrackSource.MICROPHONE,
    models_pb.TrackSource.SCREEN_SHARE_AUDIO,
)
_VIDEO_CODECS = (
    models_pb.VideoCodec.DEFAULT_VC,
    models_pb.VideoCodec.H264_BASELINE,
    models_pb.VideoCodec.VP8,
)
_AUDIO_CODECS = (models_pb.AudioCodec.DEFAULT_AC, models_pb.AudioCodec.OPUS)
_QUALITIES_LOW_TO_HIGH = (
    models_pb.VideoQuality.LOW,
    models_pb.VideoQuality.MEDIUM,
    models_pb.VideoQuality.HIGH,
)


class IngressValidationError(ValueError):
    """A request the server would refuse with Twirp `invalid_argument` and this exact message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _invalid_ingress(what: str) -> IngressValidationError:
    return IngressValidationError(f"invalid ingress: {what}")


def _invalid_video(what: str) -> IngressValidationError:
    return IngressValidationError(f"invalid video parameters: {what}")


def _invalid_audio(what: str) -> IngressValidationError:
    return IngressValidationError(f"invalid audio parameters: {what}")


def _invalid_bypass(what: str) -> IngressValidationError:
    return IngressValidationError(f"invalid transcoding bypass configuration: {what}")


INVALID_INGRESS_TYPE = "invalid ingress type"


def check_input_type(input_type: int) -> None:
    if input_type not in (RTMP, WHIP, URL):
        raise IngressValidationError(INVALID_INGRESS_TYPE)


def normalize_pull_url(url: str) -> str:
    """Check a URL input's address as the server does and return it re-serialised."""
    if not url:
        raise _invalid_ingress("missing URL parameter")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise IngressValidationError(f'parse "{url}": {exc}') from exc
    if parts.scheme not in PULL_URL_SCHEMES:
        raise _invalid_ingress(f"invalid url scheme {parts.scheme}")
    return urlunsplit(parts)


def info_from_create_request(req: ingress_pb.CreateIngressRequest, stream_key: str, url: str) -> ingress_pb.IngressInfo:
    info = ingress_pb.IngressInfo(
        name=req.name,
        stream_key=stream_key,
        url=url,
        input_type=req.input_type,
        room_name=req.room_name,
        participant_identity=req.participant_identity,
        participant_name=req.participant_name,
        participant_metadata=req.participant_metadata,
        bypass_transcoding=req.bypass_transcoding,
        reusable=req.input_type in (RTMP, WHIP),
        state=ingress_pb.IngressState(),
    )
    copy_present_fields(req, info)
    return info


def validate_info(info: ingress_pb.IngressInfo, require_room: bool) -> None:
    """ingress.Validate (require_room) or ingress.ValidateForSerialization, in the server's order."""
    if require_room and not info.room_name:
        raise _invalid_ingress("no room name")
    if info.input_type not in (RTMP, WHIP, URL):
        raise _invalid_ingress("unsupported input type")
    if info.input_type in (RTMP, WHIP):
        if not info.stream_key:
            raise _invalid_ingress("no stream key")
    else:
        if not info.url:
            raise _invalid_ingress("no source URL")
        if info.HasField("enabled") and not info.enabled:
            raise _invalid_ingress("disabled non reusable ingress")
    if not info.participant_identity:
        raise _invalid_ingress("no participant identity")
    _validate_bypass_transcoding(info)
    _validate_enable_transcoding(info)
    if info.HasField("video"):
        validate_video_options(info.video)
    if info.HasField("audio"):
        validate_audio_options(info.audio)


def transcoding_enabled(info: ingress_pb.IngressInfo) -> bool:
    """The effective setting: unset means off for WHIP and on for everything else."""
    if info.HasField("enable_transcoding"):
        return info.enable_transcoding
    return info.input_type != WHIP


def _has_encoding_options(info: ingress_pb.IngressInfo, kind: str) -> bool:
    if not info.HasField(kind):
        return False
    options = getattr(info, kind)
    return options.WhichOneof("encoding_options") is not None


def _validate_bypass_transcoding(info: ingress_pb.IngressInfo) -> None:
    if not info.bypass_transcoding:
        return
    if info.input_type != WHIP:
        raise _invalid_bypass("bypassing transcoding impossible with selected input type")
    for kind in ("video", "audio"):
        if _has_encoding_options(info, kind):
            raise _invalid_bypass(f"{kind} encoding options must be empty if transcoding bypass is selected")


def _validate_enable_transcoding(info: ingress_pb.IngressInfo) -> None:
    if info.input_type != WHIP and info.HasField("enable_transcoding") and not info.enable_transcoding:
        raise _invalid_bypass("bypassing transcoding impossible with selected input type")
    if transcoding_enabled(info):
        return
    for kind in ("video", "audio"):
        if _has_encoding_options(info, kind):
            raise _invalid_bypass(f"{kind} encoding options must be empty if transcoding is disabled")


def validate_video_options(options: ingress_pb.IngressVideoOptions) -> None:
    if options.source not in _VIDEO_SOURCES:
        raise _invalid_video("invalid track source")
    which = options.WhichOneof("encoding_options")
    if which == "preset":
        if options.preset not in ingress_pb.IngressVideoEncodingPreset.values():
            raise _invalid_video("invalid preset")
    elif which == "options":
        _validate_video_encoding(options.options)


def _validate_video_encoding(options: ingress_pb.IngressVideoEncodingOptions) -> None:
    if options.frame_rate < 0:
        raise _invalid_video("invalid framerate")
    if options.video_codec not in _VIDEO_CODECS:
        raise _invalid_video("video codec unsupported")
    by_quality: dict[int, models_pb.VideoLayer] = {}
    for layer in options.layers:
        if layer.width == 0 or layer.height == 0:
            raise _invalid_video("invalid output media dimensions")
        if layer.width % 2 == 1:
            raise _invalid_ingress("layer width must be even")
        if layer.height % 2 == 1:
            raise _invalid_ingress("layer height must be even")
        if layer.quality in by_quality:
            raise _invalid_video("more than one layer with the same quality level")
        by_quality[layer.quality] = layer
    previous_width = previous_height = 0
    for quality in _QUALITIES_LOW_TO_HIGH:
        found = by_quality.get(quality)
        if found is None:
            continue
        if found.height < previous_height:
            raise _invalid_video("video layers do not have increasing height with increasing quality")
        if found.width < previous_width:
            raise _invalid_video("video layers do not have increasing width with increasing quality")
        previous_width, previous_height = found.width, found.height


def validate_audio_options(options: ingress_pb.IngressAudioOptions) -> None:
    if options.source not in _AUDIO_SOURCES:
        raise _invalid_audio("invalid track source")
    which = options.WhichOneof("encoding_options")
    if which == "preset":
        if options.preset not in ingress_pb.IngressAudioEncodingPreset.values():
            raise _invalid_audio("invalid preset")
    elif which == "options":
        if options.options.audio_codec not in _AUDIO_CODECS:
            raise _invalid_audio("audio codec unsupported")
        if options.options.channels > 2:
            raise _invalid_audio("invalid audio channel count")


def build_info_for_create(req: ingress_pb.CreateIngressRequest, stream_key: str) -> ingress_pb.IngressInfo:
    """Everything CreateIngress checks, in its order; returns the new ingress before ids/defaults."""
    check_input_type(req.input_type)
    url = normalize_pull_url(req.url) if req.input_type == URL else ""
    info = info_from_create_request(req, stream_key if req.input_type != URL else "", url)
    validate_info(info, require_room=req.input_type == URL)
    return info


def validate_create_request(req: ingress_pb.CreateIngressRequest) -> None:
    """Client-side: raise IngressValidationError with the message the server would send."""
    build_info_for_create(req, stream_key="client-side-check")


def validate_update_request(req: ingress_pb.UpdateIngressRequest) -> None:
    """Client-side checks that hold whatever the stored ingress is."""
    if req.HasField("video"):
        validate_video_options(req.video)
    if req.HasField("audio"):
        validate_audio_options(req.audio)
