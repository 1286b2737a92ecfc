"""An ingress's create and edit without the form: the IngressEdit controller against a real sandbox, no Qt."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.controllers.ingress_edit import IngressEdit, IngressForm
from ingress_studio.display.validation_messages import Field
from support.sandbox_process import SandboxServer

RTMP, WHIP = ingress_pb.IngressInput.RTMP_INPUT, ingress_pb.IngressInput.WHIP_INPUT


@pytest.fixture
async def client(fresh_sandbox: SandboxServer) -> AsyncIterator[IngressClient]:
    async with IngressClient(fresh_sandbox.project()) as opened:
        yield opened


def form(kind: int = RTMP, **strings: str) -> IngressForm:
    values = {"name": "cam", "room_name": "studio", "participant_identity": "cam", **strings}
    return IngressForm(input_type=kind, strings=values, transcoding=kind != WHIP)


async def test_a_create_is_checked_with_the_servers_rules_then_sent(client: IngressClient) -> None:
    sent: list[ingress_pb.CreateIngressRequest] = []

    async def create(request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
        sent.append(request)
        return await client.create(request)

    edit = IngressEdit(None, submit_create=create)
    nameless = form(participant_identity="")
    problem = edit.problem(nameless)
    assert problem is not None and problem.field is Field.IDENTITY
    assert problem.server_words == "invalid ingress: no participant identity"
    with pytest.raises(ApiError) as refused:
        await edit.save(nameless)
    assert refused.value.server_words == "invalid ingress: no participant identity" and not sent
    assert IngressEdit.refusal(refused.value) is not None

    info = await edit.save(form())
    assert (info.name, info.room_name, info.participant_identity) == ("cam", "studio", "cam")
    assert len(sent) == 1 and sent[0].enabled  # stated, not left to the default


async def test_an_edit_sends_only_what_changed_and_cannot_clear(client: IngressClient) -> None:
    original = await client.create(IngressEdit(None).create_request(form(participant_name="Camera")))
    sent: list[ingress_pb.UpdateIngressRequest] = []

    async def update(request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        sent.append(request)
        return await client.update(request)

    edit = IngressEdit(original, submit_update=update)
    untouched = IngressForm.of(original)
    assert edit.update_request(untouched) == ingress_pb.UpdateIngressRequest(ingress_id=original.ingress_id)
    changed = IngressForm.of(original)
    changed.strings["name"] = "renamed"
    changed.strings["participant_name"] = ""  # the API cannot clear it: it stays
    changed.enabled = False
    assert edit.cleared_fields(changed) == ["Participant name"]
    info = await edit.save(changed)
    [request] = sent
    assert request.name == "renamed" and not request.participant_name
    assert request.HasField("enabled") and not request.enabled and not request.HasField("video")
    assert (info.name, info.participant_name, info.enabled) == ("renamed", "Camera", False)


async def test_whip_transcoding_on_with_encoding_is_two_updates(client: IngressClient) -> None:
    """A WHIP ingress made without transcoding keeps the bypass flag; the server refuses turning transcoding
    on together with encoding options in one update, so the controller sends two."""
    original = await client.create(IngressEdit(None).create_request(form(WHIP)))
    assert original.bypass_transcoding and not original.enable_transcoding
    sent: list[ingress_pb.UpdateIngressRequest] = []

    async def update(request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        sent.append(request)
        return await client.update(request)

    edit = IngressEdit(original, submit_update=update)
    wanted = IngressForm.of(original)
    wanted.transcoding = True
    preset = ingress_pb.IngressVideoEncodingPreset.H264_720P_30FPS_3_LAYERS
    wanted.video.preset = preset
    with pytest.raises(ApiError):  # sent as one update, the server itself says no
        await client.update(edit.update_request(wanted))
    info = await edit.save(wanted)
    assert [r.HasField("enable_transcoding") for r in sent] == [True, False]
    assert (
        info.enable_transcoding and info.video.preset == ingress_pb.IngressVideoEncodingPreset.H264_720P_30FPS_3_LAYERS
    )
