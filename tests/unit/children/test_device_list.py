"""Reading `devices --json`: typed devices by kind, anything else Unreadable."""

from __future__ import annotations

import json

import pytest

from ingress_studio.children.device_list import Device, DeviceList, read_devices_line
from ingress_studio.children.unreadable import Unreadable

LISTED = [
    {"kind": "camera", "source": "camera:/dev/video0", "name": "Integrated Camera"},
    {"kind": "microphone", "source": "mic:default", "name": "ALSA default device"},
    {"kind": "microphone", "source": "mic:pulse", "name": "PulseAudio / PipeWire (through ALSA)"},
    {"kind": "screen", "source": "screen::0", "name": "X display :0 (1920x1080)"},
    {"kind": "test", "source": "test:", "name": "Test pattern: moving picture and a 440 Hz tone"},
]


def test_devices_are_sorted_by_kind() -> None:
    devices = read_devices_line(json.dumps(LISTED))
    assert isinstance(devices, DeviceList)
    assert devices.cameras == (Device("camera", "camera:/dev/video0", "Integrated Camera"),)
    assert [d.source for d in devices.microphones] == ["mic:default", "mic:pulse"]
    assert [d.source for d in devices.screens] == ["screen::0"]
    assert [d.source for d in devices.generated] == ["test:"]
    assert len(devices.devices) == 5


@pytest.mark.parametrize(
    "line",
    [
        json.dumps({"devices": LISTED}),  # an object, not the list
        json.dumps([{"kind": "speaker", "source": "x", "name": "y"}]),
        json.dumps([{"kind": "camera", "source": 3, "name": "y"}]),
        json.dumps(["camera:/dev/video0"]),
        "[{",
    ],
)
def test_anything_else_is_unreadable(line: str) -> None:
    assert isinstance(read_devices_line(line), Unreadable)
