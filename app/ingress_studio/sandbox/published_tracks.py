"""The tracks an ingress would publish into its room (IngressState.tracks), from its options and input."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.sandbox.ids import random_id

_Preset = ingress_pb.IngressVideoEncodingPreset
_PRESET_BOX = {"540P": (960, 540), "720P": (1280, 720), "1080P": (1920, 1080)}
_DEFAULT_PRESET = _Preset.H264_720P_30FPS_3_LAYERS


def _fit(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """Scale (width, height) down into `box`, keeping the aspect ratio and even sizes; never up."""
    if not width or not height:
        return box
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def _video_track(info: ingress_pb.IngressInfo, mime_type: str, width: int, height: int) -> models_pb.TrackInfo:
    options = info.video
    track = models_pb.TrackInfo(
        sid=random_id("TR_"),
        type=models_pb.TrackType.VIDEO,
        name=options.name,
        source=options.source or models_pb.TrackSource.CAMERA,
        mime_type=mime_type,
        width=width,
        height=height,
    )
    if not info.enable_transcoding:
        return track
    if options.HasField("options") and options.options.layers:
        top = max(options.options.layers, key=lambda layer: layer.width * layer.height)
        track.width, track.height = _fit(width, height, (top.width, top.height))
        track.simulcast = len(options.options.layers) > 1
        vp8 = options.options.video_codec == models_pb.VideoCodec.VP8
        track.mime_type = "video/VP8" if vp8 else "video/H264"
        return track
    preset_name = _Preset.Name(options.preset if options.HasField("preset") else _DEFAULT_PRESET)
    box = next(size for label, size in _PRESET_BOX.items() if f"_{label}_" in preset_name)
    track.width, track.height = _fit(width, height, box)
    track.simulcast = "_1_LAYER" not in preset_name
    track.mime_type = "video/H264"
    return track


def published_tracks(
    info: ingress_pb.IngressInfo, state: ingress_pb.IngressState, has_video: bool, has_audio: bool
) -> list[models_pb.TrackInfo]:
    tracks = []
    if has_video:
        tracks.append(_video_track(info, state.video.mime_type, state.video.width, state.video.height))
    if has_audio:
        passthrough = not info.enable_transcoding and state.audio.mime_type in ("audio/opus", "audio/PCMA")
        tracks.append(
            models_pb.TrackInfo(
                sid=random_id("TR_"),
                type=models_pb.TrackType.AUDIO,
                name=info.audio.name,
                source=info.audio.source or models_pb.TrackSource.MICROPHONE,
                mime_type=state.audio.mime_type if passthrough else "audio/opus",
                stereo=state.audio.channels == 2,
            )
        )
    return tracks
