"""What the sandbox's WHIP endpoint takes in an offer, checked before any session starts.

A body that is not an SDP offer WebRTC can use is a 400 and changes nothing (the service would start a
session and time out, or answer 500 without a word); an offer whose tracks or codecs the ingress
service refuses is a 406 with the service's words. The answer lists only the codecs the sandbox
receives — H.264 (packetization-mode=1) or VP8, Opus or PCMA, as the service — in the publisher's order.
"""

from __future__ import annotations

from aiortc import RTCRtpCodecCapability, RTCRtpCodecParameters, RTCRtpReceiver
from aiortc.rtcpeerconnection import is_codec_compatible
from aiortc.sdp import MediaDescription, SessionDescription

MEDIA_KINDS = ("video", "audio")
ACCEPTED_CODECS = {"video/H264", "video/VP8", "audio/opus", "audio/PCMA"}
RTX = "video/rtx"  # retransmissions of an accepted codec: aiortc receives them

NOT_TEXT = (
    "The request body is not text, so it is not an SDP offer: send the offer itself (Content-Type: application/sdp)."
)
NOT_SDP = (
    'The request body is not an SDP offer: send the offer itself, starting with "v=0" (Content-Type: application/sdp).'
)
UNREADABLE_SDP = "The SDP offer cannot be read (a line in it is malformed): send it as the publisher's WebRTC made it."
NO_MEDIA = "The SDP offer has no audio or video (m=) line, so there is nothing to receive."
MISSING = "The SDP offer's {kind} section has no {what}, which WebRTC needs."
BAD_MIDS = (
    "The SDP offer's m= lines do not match its BUNDLE group (a mid is repeated, or the group names one no line has)."
)
UNSUPPORTED_FORMAT = "unsupported format for the source media"
TOO_MANY_TRACKS = "more than 1 track with given media kind"
NO_SIMULCAST = "simulcast is not supported by the sandbox's WHIP endpoint"


class OfferRefused(Exception):
    def __init__(self, http_status: int, reason: str) -> None:
        super().__init__(reason)
        self.http_status, self.reason = http_status, reason


def read_offer(body: bytes) -> tuple[str, SessionDescription]:
    """The offer's text and its parsed form; OfferRefused(400) says what is wrong with a body that is none."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise OfferRefused(400, NOT_TEXT) from None
    if not text.lstrip("\ufeff \t\r\n").startswith("v="):
        raise OfferRefused(400, NOT_SDP)
    try:
        offer = SessionDescription.parse(text)
    except Exception:  # aiortc's parser raises whatever it trips on (assertions, ValueError, KeyError…)
        raise OfferRefused(400, UNREADABLE_SDP) from None
    media = [section for section in offer.media if section.kind in MEDIA_KINDS]
    if not media:
        raise OfferRefused(400, NO_MEDIA)
    for section in media:
        if not (section.ice and section.ice.usernameFragment and section.ice.password):
            raise OfferRefused(400, MISSING.format(kind=section.kind, what="ICE credentials (a=ice-ufrag, a=ice-pwd)"))
        if not (section.dtls and section.dtls.fingerprints):
            raise OfferRefused(400, MISSING.format(kind=section.kind, what="DTLS fingerprint and setup role"))
        if not section.rtcp_mux:
            raise OfferRefused(400, MISSING.format(kind=section.kind, what="a=rtcp-mux"))
    # aiortc trusts these: a BUNDLE group led by an unknown mid leaves a track without a transport.
    mids = [section.rtp.muxId for section in offer.media if section.rtp.muxId]
    bundled = {str(mid) for group in offer.group if group.semantic == "BUNDLE" for mid in group.items}
    if len(set(mids)) != len(mids) or not bundled <= set(mids):
        raise OfferRefused(400, BAD_MIDS)
    return text, offer


def check_offer(offer: SessionDescription, text: str) -> None:
    """OfferRefused(406) with the service's words for an offer it would not take."""
    if "\na=simulcast:" in text or "\na=rid:" in text:  # aiortc's parser skips these lines
        raise OfferRefused(406, NO_SIMULCAST)
    for kind in MEDIA_KINDS:
        sections = [section for section in offer.media if section.kind == kind]
        if len(sections) > 1:
            raise OfferRefused(406, TOO_MANY_TRACKS)
        if sections and not [codec for codec in accepted_codecs(sections[0]) if codec.mimeType != RTX]:
            raise OfferRefused(406, UNSUPPORTED_FORMAT)


def accepted_codecs(section: MediaDescription) -> list[RTCRtpCodecCapability]:
    """The codecs of this m-line the sandbox receives, in the offer's order: preferences for the answer."""
    capabilities = RTCRtpReceiver.getCapabilities(section.kind)
    takes = [codec for codec in (capabilities.codecs if capabilities else []) if _receives(codec)]
    chosen: list[RTCRtpCodecCapability] = []
    for offered in section.rtp.codecs:
        for codec in takes:
            if codec not in chosen and is_codec_compatible(_as_parameters(codec), offered):
                chosen.append(codec)
                break
    return chosen


def _as_parameters(codec: RTCRtpCodecCapability) -> RTCRtpCodecParameters:
    return RTCRtpCodecParameters(
        mimeType=codec.mimeType, clockRate=codec.clockRate, channels=codec.channels, parameters=codec.parameters
    )


def _receives(codec: RTCRtpCodecCapability) -> bool:
    if codec.mimeType == "video/H264":
        return str(codec.parameters.get("packetization-mode")) == "1"  # the service's only H.264 mode
    return codec.mimeType in ACCEPTED_CODECS or codec.mimeType == RTX
