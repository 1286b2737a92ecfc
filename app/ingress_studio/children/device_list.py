"""What `ingress-studio devices --json` lists: this machine's cameras, microphones and screens, and the
generated test source, each with the source name `push` and `probe` take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingress_studio.children.event_lines import json_object, read_json_line
from ingress_studio.children.json_fields import Malformed
from ingress_studio.children.unreadable import Unreadable

KINDS = ("camera", "microphone", "screen", "test")


@dataclass(frozen=True)
class Device:
    kind: str  # one of KINDS
    source: str  # what to pass as a source, e.g. camera:/dev/video0, mic:default, screen::0, test:
    name: str  # for people


@dataclass(frozen=True)
class DeviceList:
    devices: tuple[Device, ...]

    def of_kind(self, kind: str) -> tuple[Device, ...]:
        return tuple(device for device in self.devices if device.kind == kind)

    @property
    def cameras(self) -> tuple[Device, ...]:
        return self.of_kind("camera")

    @property
    def microphones(self) -> tuple[Device, ...]:
        return self.of_kind("microphone")

    @property
    def screens(self) -> tuple[Device, ...]:
        return self.of_kind("screen")

    @property
    def generated(self) -> tuple[Device, ...]:
        return self.of_kind("test")


def _device(value: Any) -> Device:
    fields = json_object(value)
    kind = fields.text("kind")
    if kind not in KINDS:
        raise Malformed(f"“kind” must be one of {', '.join(KINDS)}")
    return Device(kind, fields.text("source"), fields.text("name"))


def _device_list(value: Any) -> DeviceList:
    if not isinstance(value, list):
        raise Malformed("not a JSON list")
    return DeviceList(tuple(_device(item) for item in value))


def read_devices_line(line: str) -> DeviceList | Unreadable:
    return read_json_line(line, _device_list)
