"""What to type into OBS or FFmpeg to publish to an ingress (the "encoder settings" box)."""

from __future__ import annotations

from dataclasses import dataclass

from livekit.protocol import ingress as ingress_pb

MASK = "•" * 12


@dataclass(frozen=True)
class Setting:
    label: str
    value: str
    secret: bool = False

    def shown(self, reveal: bool) -> str:
        return self.value if reveal or not self.secret or not self.value else MASK


def encoder_settings(info: ingress_pb.IngressInfo) -> list[Setting]:
    """OBS's words: Server + Stream Key for RTMP, URL + Bearer Token for WHIP; the URL for URL inputs."""
    if info.input_type == ingress_pb.IngressInput.RTMP_INPUT:
        return [Setting("Server", info.url), Setting("Stream Key", info.stream_key, secret=True)]
    if info.input_type == ingress_pb.IngressInput.WHIP_INPUT:
        return [Setting("Server (WHIP URL)", info.url), Setting("Bearer Token", info.stream_key, secret=True)]
    return [Setting("Pulled from", info.url)]


def settings_title(info: ingress_pb.IngressInfo) -> str:
    """The box's title: a URL ingress has nothing to set in an encoder, only where it pulls from."""
    return "Source" if info.input_type == ingress_pb.IngressInput.URL_INPUT else "Encoder settings (OBS, FFmpeg)"


def credential_name(info: ingress_pb.IngressInfo) -> str:
    """What the publisher's secret is called for this input ("" when it has none)."""
    if info.input_type == ingress_pb.IngressInput.WHIP_INPUT:
        return "bearer token"
    return "stream key" if info.stream_key else ""


def ffmpeg_example(info: ingress_pb.IngressInfo, reveal: bool) -> str:
    """A command that publishes a file to this ingress; the key masked unless revealed."""
    key = info.stream_key if reveal else MASK
    if info.input_type == ingress_pb.IngressInput.RTMP_INPUT:
        return f"ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -g 60 -c:a aac -f flv {info.url}/{key}"
    if info.input_type == ingress_pb.IngressInput.WHIP_INPUT:
        return f"ingress-studio push input.mp4 --whip {info.url} --token {key}"
    return ""


def settings_text(info: ingress_pb.IngressInfo) -> str:
    """Everything needed, as plain text for the clipboard (always with the real key)."""
    lines = [f"{setting.label}: {setting.value}" for setting in encoder_settings(info)]
    example = ffmpeg_example(info, reveal=True)
    if example:
        lines += ["", example]
    return "\n".join(lines) + "\n"


def what_deleting_loses(info: ingress_pb.IngressInfo) -> str:
    credential = credential_name(info)
    if not credential:
        return "It is gone for good, with its state."
    return f"Its {credential} stops working for good; a new ingress gets a new {credential}."
