"""lk-style ingress.json in and out."""

from __future__ import annotations

import json

import pytest
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.api.spec import (
    SpecError,
    dumps_spec,
    export_spec,
    parse_create_request,
    parse_update_request,
)


def test_snake_case_camel_case_names_and_numbers_are_the_same_request() -> None:
    snake = parse_create_request(
        '{"input_type": "WHIP_INPUT", "room_name": "r", "participant_identity": "p",'
        ' "video": {"source": "CAMERA", "options": {"video_codec": "VP8", "frame_rate": 30,'
        ' "layers": [{"quality": "HIGH", "width": 1280, "height": 720}]}}}'
    )
    camel = parse_create_request(
        '{"inputType": 1, "roomName": "r", "participantIdentity": "p",'
        ' "video": {"source": 1, "options": {"videoCodec": 4, "frameRate": 30,'
        ' "layers": [{"quality": 2, "width": 1280, "height": 720}]}}}'
    )
    assert snake == camel
    assert snake.video.options.layers[0].quality == models_pb.VideoQuality.HIGH


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"nmae": "x"}', "unknown field “nmae”"),
        ('{"video": {"options": {"layers": [{"widht": 2}]}}}', "unknown field “video.options.layers[0].widht”"),
        ('{"audio": {"preset": "OPUS_STEREO_96KBPS", "bitrate": 1}}', "unknown field “audio.bitrate”"),
        ("[1, 2]", "expected a JSON object at the top level"),
        ('{"input_type": "RTMP_INPUT",}', "not valid JSON"),
        (
            '{"input_type": "NOPE"}',
            "“NOPE” is not a value of “input_type”: use one of RTMP_INPUT, WHIP_INPUT, URL_INPUT",
        ),
    ],
)
def test_bad_files_are_refused_naming_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_create_request(text)
    assert fragment in str(caught.value)


def test_update_needs_an_id() -> None:
    assert parse_update_request('{"ingressId": "IN_x", "enabled": false}').HasField("enabled")
    with pytest.raises(SpecError, match="ingress_id"):
        parse_update_request('{"name": "x"}')


def test_export_round_trips_through_create() -> None:
    info = ingress_pb.IngressInfo(
        ingress_id="IN_abc",
        stream_key="secretkey123",
        url="rtmp://h/x",
        input_type=ingress_pb.RTMP_INPUT,
        name="cam",
        room_name="room",
        participant_identity="id",
        participant_name="Name",
        participant_metadata="m",
        enable_transcoding=True,
        enabled=False,
        reusable=True,
        state=ingress_pb.IngressState(status=ingress_pb.IngressState.ENDPOINT_PUBLISHING),
    )
    info.audio.preset = ingress_pb.OPUS_MONO_64KBS
    spec = export_spec(info)
    assert spec["input_type"] == "RTMP_INPUT"
    assert "stream_key" not in spec and "url" not in spec and "state" not in spec and "ingress_id" not in spec
    assert spec["audio"] == {"preset": "OPUS_MONO_64KBS"}
    again = parse_create_request(dumps_spec(spec))
    assert again.name == "cam" and again.enabled is False and again.HasField("enable_transcoding")
    assert again.audio == info.audio


def test_export_of_url_ingress_keeps_its_url() -> None:
    info = ingress_pb.IngressInfo(input_type=ingress_pb.URL_INPUT, url="https://x/a.m3u8", room_name="r")
    spec = export_spec(info)
    assert spec == {"input_type": "URL_INPUT", "url": "https://x/a.m3u8", "room_name": "r"}
    assert json.loads(dumps_spec(spec)) == spec
