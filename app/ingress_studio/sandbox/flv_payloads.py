"""The audio and video message bodies RTMP carries (FLV tag bodies) → codec configs and packets."""

from __future__ import annotations

from dataclasses import dataclass

FLV_AVC = 7
FLV_AAC = 10
_VIDEO_CODECS = {2: "Sorenson H.263", 3: "Screen video", 4: "VP6", 5: "VP6 alpha", 6: "Screen video 2", 12: "HEVC"}
_AUDIO_CODECS = {0: "PCM", 1: "ADPCM", 2: "MP3", 3: "PCM", 4: "Nellymoser", 5: "Nellymoser", 6: "Nellymoser"}
_AUDIO_CODECS.update({7: "G.711 A-law", 8: "G.711 mu-law", 11: "Speex", 14: "MP3 8 kHz"})
_ENHANCED_VIDEO = {b"hvc1": "HEVC", b"av01": "AV1", b"vp09": "VP9", b"avc1": "H.264 (enhanced RTMP)"}
AAC_SAMPLE_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)


class UnsupportedCodec(Exception):
    """The publisher sends a codec LiveKit's RTMP ingest does not take (it takes H.264 and AAC)."""


@dataclass(frozen=True)
class Payload:
    kind: str  # "video" or "audio"
    config: bool  # a decoder configuration (avcC / AudioSpecificConfig), not media
    keyframe: bool
    data: bytes
    composition_ms: int = 0


def parse_video(body: bytes) -> Payload | None:
    """None for bodies that carry no picture (end of sequence, command frames)."""
    if len(body) < 2:
        return None
    frame_type, codec = body[0] >> 4, body[0] & 0x0F
    if body[0] & 0x80:  # enhanced RTMP: a FourCC names the codec
        fourcc = bytes(body[1:5])
        raise UnsupportedCodec(f"video codec {_ENHANCED_VIDEO.get(fourcc) or _fourcc_name(fourcc)}")
    if frame_type == 5:
        return None
    if codec != FLV_AVC:
        raise UnsupportedCodec(f"video codec {_VIDEO_CODECS.get(codec, codec)}")
    if len(body) < 5:
        return None
    packet_type = body[1]
    if packet_type == 2:
        return None
    composition = int.from_bytes(body[2:5], "big", signed=True)
    return Payload("video", packet_type == 0, frame_type == 1, body[5:], composition)


def _fourcc_name(fourcc: bytes) -> str:
    """A FourCC as text if it is one, else in hex: its bytes come from the peer and end up in state and logs."""
    return fourcc.decode("ascii") if len(fourcc) == 4 and all(0x20 < b < 0x7F for b in fourcc) else f"0x{fourcc.hex()}"


def parse_audio(body: bytes) -> Payload | None:
    if len(body) < 2:
        return None
    codec = body[0] >> 4
    if codec != FLV_AAC:
        raise UnsupportedCodec(f"audio codec {_AUDIO_CODECS.get(codec, codec)}")
    return Payload("audio", body[1] == 0, True, body[2:])


def aac_config(config: bytes) -> tuple[int, int]:
    """(sample rate, channels) from an AudioSpecificConfig; (0, 0) if it cannot be read."""
    if len(config) < 2:
        return 0, 0
    bits = int.from_bytes(config[:5].ljust(5, b"\0"), "big")
    index = (bits >> 31) & 0x0F  # after the 5-bit object type
    if index == 0x0F:  # an explicit 24-bit rate follows
        rate = (bits >> 7) & 0xFFFFFF
        channels = (bits >> 3) & 0x0F
    else:
        rate = AAC_SAMPLE_RATES[index] if index < len(AAC_SAMPLE_RATES) else 0
        channels = (bits >> 27) & 0x0F
    return rate, channels
