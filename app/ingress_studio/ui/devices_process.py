"""The device listing as a child of the window, for the source picker: `finished(devices)` or `failed(sentence)`."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ingress_studio.children.device_list import DeviceList
from ingress_studio.children.devices_client import DEVICES, DEVICES_TIMEOUT_S, devices_command
from ingress_studio.ui.one_shot_process import OneShotProcess


class DevicesProcess(OneShotProcess):
    """A new `start` cancels a listing still running; `cancel()` stops one without a signal."""

    finished = Signal(DeviceList)

    def __init__(self, parent: QObject | None = None, timeout_s: float = DEVICES_TIMEOUT_S) -> None:
        super().__init__(DEVICES, timeout_s, parent)

    def start(self) -> None:
        self._start(devices_command())
