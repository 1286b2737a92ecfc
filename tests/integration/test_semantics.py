"""Update/list/delete semantics, not_found cases, paging, persistence and concurrency."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.sandbox.store import IngressStore
from support.sandbox_process import SandboxServer

Status = ingress_pb.IngressState.Status


def rtmp(room: str = "sem", name: str = "cam") -> ingress_pb.CreateIngressRequest:
    return ingress_pb.CreateIngressRequest(
        input_type=ingress_pb.RTMP_INPUT,
        name=name,
        room_name=room,
        participant_identity="id",
        participant_name="Participant",
        participant_metadata="meta",
    )


@pytest.mark.parametrize("call", ["update", "delete", "list"])
async def test_unknown_id_is_not_found(sandbox: SandboxServer, call: str) -> None:
    async with IngressClient(sandbox.project()) as client:
        with pytest.raises(ApiError) as caught:
            if call == "update":
                await client.update(ingress_pb.UpdateIngressRequest(ingress_id="IN_doesnotexist", name="x"))
            elif call == "delete":
                await client.delete("IN_doesnotexist")
            else:
                await client.list(ingress_id="IN_doesnotexist")
    assert caught.value.code == "not_found"
    assert caught.value.message.startswith("Not found: ingress does not exist.")


async def test_update_of_one_field_leaves_the_others(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        request = rtmp()
        request.audio.name = "mic"
        created = await client.create(request)
        updated = await client.update(ingress_pb.UpdateIngressRequest(ingress_id=created.ingress_id, name="new name"))
        expected = ingress_pb.IngressInfo()
        expected.CopyFrom(created)
        expected.name = "new name"
        assert updated == expected
        [listed] = await client.list(ingress_id=created.ingress_id)
        assert listed == expected


async def test_url_ingress_cannot_be_updated(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        created = await client.create(
            ingress_pb.CreateIngressRequest(
                input_type=ingress_pb.URL_INPUT, url="https://x.test/v.m3u8", room_name="r", participant_identity="u"
            )
        )
        with pytest.raises(ApiError) as caught:
            await client.update(ingress_pb.UpdateIngressRequest(ingress_id=created.ingress_id, name="x"))
    assert caught.value.code == "invalid_argument"
    assert "ingress is not reusable and cannot be modified" in caught.value.message


async def test_update_resets_error_and_ends_a_live_session(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        errored = await client.create(rtmp(name="errored"))
        live = await client.create(rtmp(name="live"))
        # The media endpoints arrive later; write the states they will write, in the same database.
        store = IngressStore(Path(sandbox.info["database"]).parent)
        try:

            def make_error(info: ingress_pb.IngressInfo) -> None:
                info.state.status = Status.ENDPOINT_ERROR
                info.state.error = "boom"

            def make_live(info: ingress_pb.IngressInfo) -> None:
                info.state.status = Status.ENDPOINT_PUBLISHING
                info.state.started_at = 1

            store.modify(errored.ingress_id, make_error)
            store.modify(live.ingress_id, make_live)
        finally:
            store.close()
        reset = await client.update(ingress_pb.UpdateIngressRequest(ingress_id=errored.ingress_id, name="fixed"))
        assert reset.state.status == Status.ENDPOINT_INACTIVE
        ended = await client.update(ingress_pb.UpdateIngressRequest(ingress_id=live.ingress_id, room_name="moved"))
        assert ended.state.status == Status.ENDPOINT_INACTIVE and ended.state.ended_at > 0


async def test_restart_keeps_every_ingress(fresh_sandbox: SandboxServer) -> None:
    async with IngressClient(fresh_sandbox.project()) as client:
        before = [await client.create(rtmp(name=f"keep-{i}")) for i in range(5)]
        await client.update(ingress_pb.UpdateIngressRequest(ingress_id=before[0].ingress_id, name="edited"))
    assert fresh_sandbox.stop() == 0
    fresh_sandbox.start()
    async with IngressClient(fresh_sandbox.project()) as client:
        after = await client.list()
    assert [i.ingress_id for i in after] == [i.ingress_id for i in before]
    assert [i.stream_key for i in after] == [i.stream_key for i in before]
    assert after[0].name == "edited"


async def test_paging_is_followed_by_the_client(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path, extra_args=["--list-page-size", "2"]).start()
    try:
        async with IngressClient(server.project()) as client:
            created = [await client.create(rtmp(room="paged" if i % 2 else "other", name=f"p{i}")) for i in range(7)]
            assert [i.ingress_id for i in await client.list()] == [i.ingress_id for i in created]
            paged_room = [i.ingress_id for i in created if i.room_name == "paged"]
            assert [i.ingress_id for i in await client.list(room="paged")] == paged_room
        # the raw protocol: a full page with more to come carries a token; the last page none
        from livekit import api as lkapi

        async with lkapi.LiveKitAPI(server.url, "devkey", "secret", failover=False) as raw:
            first = await raw.ingress.list_ingress(ingress_pb.ListIngressRequest())
            assert len(first.items) == 2 and first.next_page_token.token
            request = ingress_pb.ListIngressRequest()
            request.page_token.token = "garbage"
            with pytest.raises(lkapi.TwirpError):
                await raw.ingress.list_ingress(request)
            six = await raw.ingress.list_ingress(ingress_pb.ListIngressRequest(room_name="other"))
            assert len(six.items) == 2 and six.next_page_token.token
    finally:
        assert server.stop() == 0


async def test_concurrent_creates_and_updates_lose_nothing(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        created = await asyncio.gather(*(client.create(rtmp(room="crowd", name=f"c{i}")) for i in range(30)))
        assert len({i.ingress_id for i in created}) == 30
        assert len({i.stream_key for i in created}) == 30
        await asyncio.gather(
            *(
                client.update(ingress_pb.UpdateIngressRequest(ingress_id=i.ingress_id, participant_name=f"n{n}"))
                for n, i in enumerate(created)
            )
        )
        listed = {i.ingress_id: i for i in await client.list(room="crowd")}
        assert len(listed) == 30
        for n, info in enumerate(created):
            assert listed[info.ingress_id].participant_name == f"n{n}"
            assert listed[info.ingress_id].participant_metadata == "meta"


async def test_delete_returns_inactive_and_forgets(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        created = await client.create(rtmp(room="gone"))
        deleted = await client.delete(created.ingress_id)
        assert deleted.state.status == Status.ENDPOINT_INACTIVE
        assert await client.list(room="gone") == []
