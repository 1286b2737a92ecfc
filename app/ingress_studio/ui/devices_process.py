"""The device listing as a child of the window, for the source picker: `finished(devices)` or `failed(sentence)`."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ingress_studio.children.device_list import DeviceList
from ingress_studio.children.devices_client import DEVICES, DEVICES_TIMEOUT_S, devices_command
from ingress_studio.ui.one_shot_process import QOneShot


class DevicesProcess(QObject):
    """A new `start` cancels a listing still running."""

    finished = Signal(DeviceList)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, timeout_s: float = DEVICES_TIMEOUT_S) -> None:
        super().__init__(parent)
        self._timeout_s = timeout_s
        self._run: QOneShot[DeviceList] | None = None

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.running

    def start(self) -> None:
        self.cancel()
        self._run = QOneShot(DEVICES, self.finished.emit, self.failed.emit, self._timeout_s, self)
        self._run.start(devices_command())

    def cancel(self) -> None:
        """Stop a running listing; neither signal follows for it."""
        if self._run is not None:
            self._run.cancel()
