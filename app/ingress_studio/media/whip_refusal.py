"""Why a WHIP endpoint refused the stream, in its own words.

FFmpeg's WHIP muxer reports only the HTTP status of a refused offer (it never reads the body), while the
ingress service explains itself in a plain-text body ("ingress does not exist", "session is disabled").
It checks the stream key before it reads the offer, so offering again gets the same refusal, this time
read in full. Asked only after a refusal of the key itself (400, 401, 403, 404); the text is used only
if the second answer has the same status, and should the server accept this time, that session is
deleted at once.
"""

from __future__ import annotations

import logging
import ssl
import urllib.error
import urllib.parse
import urllib.request

from ingress_studio.media.server_words import one_line
from ingress_studio.media.targets import Target

log = logging.getLogger(__name__)

KEY_REFUSALS = (400, 401, 403, 404)
TIMEOUT_S = 5.0
MAX_REASON_BYTES = 2000
# A well-formed offer (one H.264 video m-line), so a server that checks the body first also gets to the key.
OFFER = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\n"
    "a=ice-ufrag:probe\r\na=ice-pwd:probeprobeprobeprobeprobe\r\n"
    "a=fingerprint:sha-256 " + ":".join(["00"] * 32) + "\r\na=setup:active\r\n"
    "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n"
)


def plain_reason(body: bytes) -> str | None:
    """The first line of a plain-text body, made safe to show, or None (empty, or a web page)."""
    text = body.decode("utf-8", errors="replace").strip()
    return None if text.startswith("<") else one_line(text)


def _request(url: str, method: str, token: str, body: bytes | None = None) -> urllib.request.Request:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/sdp"
    return urllib.request.Request(url, data=body, method=method, headers=headers)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A refusal's words come from the endpoint itself; a redirect would carry the token to another host."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    # No proxy (FFmpeg's muxer uses none) and no redirects: only the endpoint FFmpeg talked to is asked.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        _NoRedirects(),
    )


def whip_refusal_reason(target: Target, status: int) -> str | None:
    """The server's own words for refusing `target` with `status`, or None when it does not say."""
    if status not in KEY_REFUSALS:
        return None
    opener = _opener()
    try:
        with opener.open(_request(target.publish_url, "POST", target.key, OFFER.encode()), timeout=TIMEOUT_S) as ok:
            location = ok.headers.get("Location")
        if location:  # accepted this time after all: end that session at once
            resource = urllib.parse.urljoin(target.publish_url, location)
            opener.open(_request(resource, "DELETE", target.key), timeout=TIMEOUT_S).close()
        return None
    except urllib.error.HTTPError as refused:
        try:
            return plain_reason(refused.read(MAX_REASON_BYTES)) if refused.code == status else None
        finally:
            refused.close()
    except (OSError, ValueError) as exc:  # unreachable now, a TLS problem, a bad URL: no reason to add
        log.debug("asking %s why it refused: %s", target.name, exc)
        return None
