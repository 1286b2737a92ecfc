"""The toolbar's room filter: "All rooms", then every room the project's ingresses publish into."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

ALL_ROOMS = "All rooms"


class RoomFilter(QComboBox):
    room_chosen = Signal(str)  # "" for all rooms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(14)
        self.addItem(ALL_ROOMS)
        self.currentTextChanged.connect(lambda text: self.room_chosen.emit("" if text == ALL_ROOMS else text))

    def set_rooms(self, rooms: list[str], chosen: str) -> None:
        """Offer these rooms; the chosen one stays offered (and chosen) even if no ingress uses it now."""
        wanted = [ALL_ROOMS, *rooms]
        if wanted == [self.itemText(i) for i in range(self.count())]:
            return
        shown = chosen or ALL_ROOMS
        self.blockSignals(True)  # the same choice, reshown: not a new choice
        self.clear()
        self.addItems(wanted if shown in wanted else [*wanted, shown])
        self.setCurrentText(shown)
        self.blockSignals(False)

    def show_all(self) -> None:
        self.setCurrentText(ALL_ROOMS)
