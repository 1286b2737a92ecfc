"""Secrets never reach the log file; ordinary words always do."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from livekit.api import AccessToken, VideoGrants

from ingress_studio.logging_setup import configure_logging, stop_logging
from ingress_studio.redaction import MASK, redact, register_secret

JWT = (
    AccessToken("devkey", "a-real-looking-api-secret-0123456789").with_grants(VideoGrants(ingress_admin=True)).to_jwt()
)
JWT_HEADER, JWT_PAYLOAD, JWT_SIGNATURE = JWT.split(".")


def test_known_secrets_jwts_and_stream_keys_are_masked() -> None:
    register_secret("Sup3rS3cretValue")
    text = (
        f"secret Sup3rS3cretValue token {JWT} "
        "push rtmp://live.example:1935/x/AbCdEfGh2345 and http://h:8080/w/ZyXwVuTs2345 "
        'api_secret=hunter2hunter2 "stream_key": "k3yk3yk3y" Authorization: Bearer abc.def'
    )
    out = redact(text)
    for leaked in ("Sup3rS3cretValue", JWT, "AbCdEfGh2345", "ZyXwVuTs2345", "hunter2hunter2", "k3yk3yk3y", "abc.def"):
        assert leaked not in out
    assert "rtmp://live.example:1935/x/" + MASK in out


def test_short_public_words_stay() -> None:
    register_secret("secret")  # the public dev secret: too short to be worth masking
    assert redact("check the API key and secret") == "check the API key and secret"


# Real messages (the sandbox's 401 texts wrap PyJWT's; aiohttp's parser errors; our own) that hold no secret.
INTACT = [
    "401 for POST /twirp/livekit.Ingress/ListIngress: invalid authorization token: signature verification failed",
    "invalid token: signature verification failed",
    "invalid authorization token: signature has expired",
    "invalid authorization token: not enough segments",
    "invalid authorization token: the token is not yet valid (nbf)",
    'invalid authorization token: token is missing the "iss" claim',
    "invalid authorization token: invalid header string: must be a json object",
    "invalid authorization token: invalid payload padding",
    "invalid authorization token",
    "invalid authorization header. Must start with Bearer ",
    "Signature verification failed",
    "Token expired",
    "token: expired.",
    "stream key missing",
    "RTMP publish from 127.0.0.1:50514 refused: missing stream key",
    "WHIP offer refused: ingress does not exist",
    "secret as given",
    "API secret: not set",
    "token=None",
    "Error handling request from 127.0.0.1",
    "Bad line ending, expected CRLF",
    "Missing 'Host' header in request.",
    "sandbox listening: api http://127.0.0.1:7880 rtmp rtmp://127.0.0.1:1935/x whip http://127.0.0.1:8080/w db "
    "/home/w/.local/share/ingress-studio/sandbox/ingress.db",
    "IN_Ab3dEf5hJk7m: session RT_Ab3dEf5hJk7m ended (ENDPOINT_INACTIVE)",
    "connect rtmp://127.0.0.1:1935/x failed; see https://docs.livekit.io/ingress?lang=en#keys",
    "watching ws://[::1]:7880/rtc?room=cam&auto_subscribe=1",
]


@pytest.mark.parametrize("line", INTACT)
def test_ordinary_log_lines_stay_intact(line: str) -> None:
    assert redact(line) == line


# (line, the secret in it): each must come out without the secret, and with the mask where it was.
REDACTED = [
    (f"token {JWT}", JWT),
    (f"got {JWT}.", JWT),
    (f"Got more than 8190 bytes when reading: b'Bearer {JWT_HEADER}.{JWT_PAYLOAD[:40]}...'", JWT_PAYLOAD[:40]),
    (f"Got more than 8190 bytes when reading: b'Bearer {JWT_HEADER}.{JWT_PAYLOAD[:40]}...'", JWT_HEADER),
    (f"a header cut short: {JWT_HEADER[:20]}", JWT_HEADER[:20]),
    ("Authorization: Bearer abc.def", "abc.def"),
    ("authorization=Bearer AbC123xyz", "AbC123xyz"),
    ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    ("Authorization: AbCdEfGh2345", "AbCdEfGh2345"),
    ("sent Bearer AbCdEfGh2345 to the WHIP endpoint", "AbCdEfGh2345"),
    (f"{{'Authorization': 'Bearer {JWT}', 'Host': 'x'}}", JWT_SIGNATURE),
    ("{'Authorization': 'Bearer kxqzmvbhtrwp'}", "kxqzmvbhtrwp"),
    ("api_secret=hunter2hunter2", "hunter2hunter2"),
    ("api_secret=correcthorse&room=x", "correcthorse"),
    ("LIVEKIT_API_SECRET=Zq8vYt2mNp4rXs6w", "Zq8vYt2mNp4rXs6w"),
    ("secret: Sup3rValue99", "Sup3rValue99"),
    ("API secret: 4fG7hJ9kL2mN5pQ8rS1tU3vW6xY0zA", "4fG7hJ9kL2mN5pQ8rS1tU3vW6xY0zA"),
    ("stream key: AbCdEfGh2345", "AbCdEfGh2345"),
    ("streamKey=AbCdEfGh2345", "AbCdEfGh2345"),
    ('"stream_key": "k3yk3yk3y"', "k3yk3yk3y"),
    ('{"streamKey":"kxqzmvbhtrwp","name":"cam"}', "kxqzmvbhtrwp"),
    ("stream_key: 'kxqzmvbhtrwp'", "kxqzmvbhtrwp"),
    ("token=AbCdEf123456&room=x", "AbCdEf123456"),
    ("password=letmein", "letmein"),
    ("--api-secret correcthorsebattery --port 0", "correcthorsebattery"),
    ("--stream-key kxqzmvbhtrwp", "kxqzmvbhtrwp"),
    ("pushing to rtmp://h/x/KEYkey2345", "KEYkey2345"),
    ("rtmps://live.example:443/app/instance/kxqzmvbhtrwp failed", "kxqzmvbhtrwp"),
    ("WHIP to http://h/w/kxqzmvbhtrwp", "kxqzmvbhtrwp"),
    ("DELETE https://h:8080/w/kxqzmvbhtrwp/WH_Ab3dEf5hJk7m", "kxqzmvbhtrwp"),
    ("relay rtmp://streamer:hunter2hunter2@relay.example/live", "hunter2hunter2"),
    ("proxy http://me:pa55word@10.0.0.1:3128 refused", "pa55word"),
    ("GET https://api.example/v1/stats?key=AIzaSyA1b2C3d4E5f6 failed", "AIzaSyA1b2C3d4E5f6"),
    ("https://bucket.s3.example/clip.mp4?X-Amz-Expires=60&X-Amz-Signature=9f86d081884c7d65", "9f86d081884c7d65"),
    ("pull https://cdn.example/live.m3u8?auth=Zm9vYmFy1234&q=hd", "Zm9vYmFy1234"),
]


@pytest.mark.parametrize(("line", "secret"), REDACTED)
def test_secret_values_are_redacted_in_every_position(line: str, secret: str) -> None:
    out = redact(line)
    assert secret not in out and MASK in out, out


def test_only_the_value_goes() -> None:
    assert redact("api_secret=hunter2hunter2&room=x") == f"api_secret={MASK}&room=x"
    assert redact('"stream_key": "k3yk3yk3y", "name": "cam"') == f'"stream_key": "{MASK}", "name": "cam"'
    assert redact("Authorization: Bearer abc.def") == f"Authorization: Bearer {MASK}"
    assert (  # the prose after a URL is not part of its key
        redact("Cannot connect to rtmp://127.0.0.1:9/x/SeCrEtKeY12345: connection refused")
        == f"Cannot connect to rtmp://127.0.0.1:9/x/{MASK}: connection refused"
    )
    assert (
        redact("DELETE https://h:8080/w/kxqzmvbhtrwp/WH_Ab3dEf5hJk7m")
        == f"DELETE https://h:8080/w/{MASK}/WH_Ab3dEf5hJk7m"
    )


def test_a_url_keeps_all_but_its_credential() -> None:
    assert redact("rtmp://streamer:hunter2hunter2@relay.example/live") == f"rtmp://streamer:{MASK}@relay.example/live"
    assert redact("https://cdn.example/a.m3u8?auth=Zm9vYmFy1234&q=hd") == f"https://cdn.example/a.m3u8?auth={MASK}&q=hd"


def test_redacting_twice_changes_nothing_more() -> None:
    for line, _secret in REDACTED:
        once = redact(line)
        assert redact(once) == once


def test_log_file_gets_redacted_messages_and_tracebacks(tmp_path: Path) -> None:
    path = configure_logging("test", log_dir=tmp_path)
    register_secret("AnotherS3cret99")
    log = logging.getLogger("ingress_studio.test")
    log.warning("connecting with %s", "AnotherS3cret99")
    try:
        raise RuntimeError("failed with AnotherS3cret99")
    except RuntimeError:
        log.exception("boom")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = path.read_text()
    assert "AnotherS3cret99" not in content
    assert content.count(MASK) >= 3 and "RuntimeError" in content
    stop_logging()
