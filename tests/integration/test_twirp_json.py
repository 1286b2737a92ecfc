"""The same RPCs as the JS server SDK sends them: JSON, camelCase names, enum names, real JWTs."""

from __future__ import annotations

import json

from support.sandbox_process import SandboxServer
from support.twirp_raw import post_json, token


async def test_json_create_list_update_delete_in_camel_case(sandbox: SandboxServer) -> None:
    bearer = token()
    status, headers, body = await post_json(
        sandbox.url,
        "CreateIngress",
        {
            "inputType": "WHIP_INPUT",
            "name": "js client",
            "roomName": "json-room",
            "participantIdentity": "js",
            "enableTranscoding": True,
            "video": {"source": "SCREEN_SHARE", "preset": "H264_720P_30FPS_1_LAYER"},
            "audio": {"source": "SCREEN_SHARE_AUDIO", "options": {"audioCodec": "OPUS", "bitrate": 64000}},
        },
        bearer,
    )
    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
    created = json.loads(body)
    # answers use proto names, emit unpopulated fields, enums as names, int64 as strings
    assert created["input_type"] == "WHIP_INPUT"
    assert created["room_name"] == "json-room" and created["participant_name"] == ""
    assert created["enable_transcoding"] is True and created["bypass_transcoding"] is False
    assert created["video"] == {"name": "", "source": "SCREEN_SHARE", "preset": "H264_720P_30FPS_1_LAYER"}
    assert created["audio"]["options"]["audio_codec"] == "OPUS"
    assert created["state"]["status"] == "ENDPOINT_INACTIVE"
    assert created["state"]["started_at"] == "0"
    assert created["state"]["video"] is None and created["state"]["tracks"] == []  # Go's EmitUnpopulated
    ingress_id = created["ingress_id"]

    status, _, body = await post_json(sandbox.url, "ListIngress", {"ingressId": ingress_id}, bearer)
    listed = json.loads(body)
    assert status == 200 and [i["ingress_id"] for i in listed["items"]] == [ingress_id]
    assert listed["next_page_token"] is None
    assert "enabled" not in listed["items"][0]  # optional fields stay out when unset, as in Go

    status, _, body = await post_json(
        sandbox.url, "UpdateIngress", {"ingressId": ingress_id, "participantName": "Renamed", "enabled": False}, bearer
    )
    updated = json.loads(body)
    assert status == 200 and updated["participant_name"] == "Renamed" and updated["enabled"] is False
    assert updated["name"] == "js client"

    status, _, body = await post_json(sandbox.url, "DeleteIngress", {"ingress_id": ingress_id}, bearer)
    assert status == 200 and json.loads(body)["ingress_id"] == ingress_id


async def test_enum_numbers_and_snake_case_are_accepted(sandbox: SandboxServer) -> None:
    status, _, body = await post_json(
        sandbox.url,
        "CreateIngress",
        {"input_type": 0, "room_name": "numbers", "participant_identity": "n"},
        token(),
    )
    assert status == 200 and json.loads(body)["input_type"] == "RTMP_INPUT"


async def test_errors_are_twirp_json_with_exact_content_type(sandbox: SandboxServer) -> None:
    status, headers, body = await post_json(sandbox.url, "DeleteIngress", {"ingressId": "IN_missing"}, token())
    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"code": "not_found", "msg": "ingress does not exist"}


async def test_wrong_content_type_and_unknown_method_are_bad_route(sandbox: SandboxServer) -> None:
    status, _, body = await post_json(sandbox.url, "ListIngress", {}, token(), headers={"Content-Type": "text/plain"})
    assert status == 404 and json.loads(body)["code"] == "bad_route"
    assert 'unexpected Content-Type: "text/plain"' in json.loads(body)["msg"]
    status, _, body = await post_json(sandbox.url, "StartIngress", {}, token())
    assert status == 404 and json.loads(body)["code"] == "bad_route"


async def test_malformed_json_body(sandbox: SandboxServer) -> None:
    status, _, body = await post_json(sandbox.url, "ListIngress", {"roomName": 5}, token())
    assert status == 400
    assert json.loads(body)["code"] == "malformed"
