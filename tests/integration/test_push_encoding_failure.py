"""An encoder that fails on a reader's thread (a file's items are encoded where they are decoded) ends the whole
push at once with one sentence, even while another reader (a separate audio file) could go on for long.

The encoder's failure is simulated (no real libx264 fails on demand); the sources, the decoders, the pipeline's
threads and the RTMP server (nginx-rtmp) are real.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingress_studio.media.encoders import EncoderSet
from ingress_studio.media.errors import MediaError
from ingress_studio.media.pipeline import PushJob, PushOptions
from ingress_studio.media.source_spec import parse_source
from ingress_studio.media.targets import rtmp_target
from support.media_files import make_media
from support.nginx_rtmp import NginxRtmp


def test_an_encoder_failing_on_a_readers_thread_ends_the_push_with_a_sentence(
    tmp_path: Path, nginx: NginxRtmp, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = make_media(tmp_path / "picture.mp4", 30.0, size=(320, 180), audio=None)
    sound = make_media(tmp_path / "sound.m4a", 30.0, video=None)
    real_encode = EncoderSet.encode_video
    pictures = 0

    def failing_after_a_second(self: EncoderSet, frame: object) -> object:
        nonlocal pictures
        pictures += 1
        if pictures > 30:
            raise RuntimeError("simulated encoder fault")
        return real_encode(self, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(EncoderSet, "encode_video", failing_after_a_second)
    job = PushJob(
        PushOptions(
            playlist=[parse_source(str(picture))],
            audio_source=parse_source(str(sound)),
            targets=[rtmp_target(nginx.url, "encoding-failure")],
        )
    )
    began = time.monotonic()
    with pytest.raises(MediaError) as failure:
        job.run()
    assert failure.value.message == "Encoding failed unexpectedly: simulated encoder fault."
    assert time.monotonic() - began < 10  # not when the 30 s audio file ends
