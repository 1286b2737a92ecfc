"""An ingress as the window shows it: plain display values, computed once, no Qt."""

from __future__ import annotations

from dataclasses import dataclass

from livekit.protocol import ingress as ingress_pb

from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS, Status, is_enabled, is_live

STATUS_LABELS = {
    Status.ENDPOINT_INACTIVE: "Inactive",
    Status.ENDPOINT_BUFFERING: "Buffering",
    Status.ENDPOINT_PUBLISHING: "Publishing",
    Status.ENDPOINT_ERROR: "Error",
    Status.ENDPOINT_COMPLETE: "Complete",
}
# Not a server status: what a disabled ingress shows instead of its (stale) Inactive or Error.
DISABLED_BADGE = -1
DISABLED_LABEL = "Disabled"


def current_error(info: ingress_pb.IngressInfo) -> str:
    """The error to show: a server keeps the last one after an update resets ERROR to INACTIVE, and a
    stale error next to "Inactive" would read as a problem now."""
    return info.state.error if info.state.status == Status.ENDPOINT_ERROR else ""


def badge_of(info: ingress_pb.IngressInfo) -> tuple[str, int]:
    """The status as shown (label, colour code): a disabled ingress that is not live says Disabled."""
    if not is_enabled(info) and not is_live(info):
        return DISABLED_LABEL, DISABLED_BADGE
    status = info.state.status
    return STATUS_LABELS.get(status, str(status)), int(status)


def _kbps(bits_per_second: int) -> str:
    return f"{round(bits_per_second / 1000)} kbps" if bits_per_second else ""


def video_summary(video: ingress_pb.InputVideoState) -> str:
    if not video.width:
        return ""
    fps = f"@{video.framerate:g}" if video.framerate else ""
    rate = _kbps(video.average_bitrate)
    return f"{video.width}x{video.height}{fps}" + (f" · {rate}" if rate else "")


def audio_summary(audio: ingress_pb.InputAudioState, compact: bool = False) -> str:
    """ "aac · 2 ch · 48 kHz · 130 kbps"; compact (for the table) leaves the sample rate to the details."""
    if not audio.mime_type and not audio.sample_rate:
        return ""
    codec = audio.mime_type.split("/")[-1] if audio.mime_type else "audio"
    parts = [codec]
    if audio.channels:
        parts.append(f"{audio.channels} ch")
    if audio.sample_rate and not compact:
        parts.append(f"{audio.sample_rate / 1000:g} kHz")
    rate = _kbps(audio.average_bitrate)
    if rate:
        parts.append(rate)
    return " · ".join(parts)


@dataclass(frozen=True)
class IngressView:
    ingress_id: str
    name: str
    input_type: str
    room: str
    participant: str
    status: str
    status_code: int  # the server's status; changes are highlighted
    badge_code: int  # the colour of the status shown (DISABLED_BADGE for a disabled ingress)
    error: str
    video: str
    audio: str
    enabled: bool

    @classmethod
    def from_info(cls, info: ingress_pb.IngressInfo) -> IngressView:
        """The input columns show the session in progress only: a past session's numbers are in the details."""
        state = info.state
        status, badge = badge_of(info)
        live = is_live(info)
        return cls(
            ingress_id=info.ingress_id,
            name=info.name,
            input_type=INPUT_TYPE_LABELS.get(info.input_type, str(info.input_type)),
            room=info.room_name,
            participant=info.participant_name or info.participant_identity,
            status=status,
            status_code=int(state.status),
            badge_code=badge,
            error=current_error(info),
            video=video_summary(state.video) if live else "",
            audio=audio_summary(state.audio, compact=True) if live else "",
            enabled=is_enabled(info),
        )
