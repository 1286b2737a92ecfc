"""Secrets never reach the log file."""

from __future__ import annotations

import logging
from pathlib import Path

from livekit.api import AccessToken, VideoGrants

from ingress_studio.logging_setup import LOG_FILE_NAME, configure_logging
from ingress_studio.redaction import MASK, redact, register_secret


def test_known_secrets_jwts_and_stream_keys_are_masked() -> None:
    register_secret("Sup3rS3cretValue")
    jwt = AccessToken("key", "x" * 32).with_grants(VideoGrants(ingress_admin=True)).to_jwt()
    text = (
        f"secret Sup3rS3cretValue token {jwt} "
        "push rtmp://live.example:1935/x/AbCdEfGh2345 and http://h:8080/w/ZyXwVuTs2345 "
        'api_secret=hunter2hunter2 "stream_key": "k3yk3yk3y" Authorization: Bearer abc.def'
    )
    out = redact(text)
    for leaked in ("Sup3rS3cretValue", jwt, "AbCdEfGh2345", "ZyXwVuTs2345", "hunter2hunter2", "k3yk3yk3y", "abc.def"):
        assert leaked not in out
    assert "rtmp://live.example:1935/x/" + MASK in out


def test_short_public_words_stay() -> None:
    register_secret("secret")  # the public dev secret: too short to be worth masking
    assert redact("check the API key and secret") == "check the API key and secret"


def test_log_file_gets_redacted_messages_and_tracebacks(tmp_path: Path) -> None:
    path = configure_logging("test", log_dir=tmp_path)
    assert path == tmp_path / LOG_FILE_NAME
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
    logging.getLogger().handlers.clear()
