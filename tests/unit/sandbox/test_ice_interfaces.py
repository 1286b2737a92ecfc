"""Which addresses the sandbox's peers offer: publishers keep to loopback, room viewers get the others
(libwebrtc gathers no loopback candidates), and a host with loopback alone is named as such."""

from __future__ import annotations

import aioice.ice
import ifaddr
import pytest
from aiortc import RTCConfiguration, RTCPeerConnection
from aiortc.sdp import SessionDescription

from ingress_studio.sandbox import ice_interfaces
from ingress_studio.sandbox.ice_interfaces import NO_ICE, room_viewer_candidates, viewer_can_connect


async def offered_hosts(pc: RTCPeerConnection) -> set[str]:
    pc.addTransceiver("audio", direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    media = SessionDescription.parse(pc.localDescription.sdp).media
    await pc.close()
    return {candidate.ip for candidate in media[0].ice_candidates}


async def test_viewers_offer_other_interfaces_while_publishers_keep_to_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The machine's interfaces as aioice lists them, fixed here: tests/support/whip_peer.py replaces aioice's own
    # function when it is imported, so what this module captured depends on the order the tests import in.
    # (The room tests join over this machine's real interfaces.)
    machine = [ip.ip for adapter in ifaddr.get_adapters() for ip in adapter.ips if isinstance(ip.ip, str)]
    others = [address for address in machine if not address.startswith("127.")]
    if not others:
        pytest.skip("this host has a loopback interface alone")
    monkeypatch.setattr(ice_interfaces, "_aioice_addresses", lambda v4, v6: others if v4 else [])
    saved = aioice.ice.get_host_addresses, ice_interfaces._loopback_only
    try:
        ice_interfaces.use_loopback_candidates_only()
        assert await offered_hosts(RTCPeerConnection(RTCConfiguration(iceServers=[]))) == {"127.0.0.1"}
        with room_viewer_candidates():
            viewer_hosts = await offered_hosts(RTCPeerConnection(RTCConfiguration(iceServers=[])))
        assert viewer_hosts == set(others)
    finally:
        aioice.ice.get_host_addresses, ice_interfaces._loopback_only = saved


def test_a_host_with_loopback_alone_is_named() -> None:
    assert not viewer_can_connect(lambda _v4, _v6: [])
    assert viewer_can_connect(lambda _v4, _v6: ["192.0.2.2"])
    assert "only a loopback network interface" in NO_ICE
