"""`ingress-studio devices --json` as a child: the window's source picker lists devices without loading FFmpeg."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Never

from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.device_list import DeviceList, read_devices_line
from ingress_studio.children.one_shot import OneShotChild, one_shot_protocol
from ingress_studio.children.program import ingress_studio_command

DEVICES_TIMEOUT_S = 20.0  # listing reads /dev, /proc and the X display: seconds at most, unless something hangs

DEVICES: ChildProtocol[DeviceList, Never] = one_shot_protocol("device listing", read_devices_line)


def devices_command() -> list[str]:
    return [*ingress_studio_command(), "devices", "--json"]


async def list_devices(timeout_s: float = DEVICES_TIMEOUT_S, env: Mapping[str, str] | None = None) -> DeviceList:
    """The devices; OneShotFailed with one sentence if the listing failed."""
    child = await OneShotChild.start(DEVICES, devices_command(), env)
    return await child.answer(timeout_s)
