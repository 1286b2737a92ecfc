"""A picture that fills the space it is given with its aspect kept (never wider than `max_width`), so a narrow
or short panel never clips it; without a picture it shows a sentence instead."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

EMPTY_HEIGHT = 120


class ScaledPicture(QLabel):
    def __init__(self, max_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_width = max_width
        self._original: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)  # the sentence shown without a picture
        self.setMinimumSize(160, 90)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    @property
    def original(self) -> QPixmap | None:
        """The picture as it came, before fitting."""
        return self._original

    def set_picture(self, pixmap: QPixmap) -> None:
        self._original = pixmap
        self._fit()

    def clear(self) -> None:
        self._original = None
        super().clear()

    def sizeHint(self) -> QSize:
        if self._original is None or self._original.width() == 0:
            return QSize(self.max_width, EMPTY_HEIGHT)
        return QSize(self.max_width, self.heightForWidth(self.max_width))

    def hasHeightForWidth(self) -> bool:
        return self._original is not None

    def heightForWidth(self, width: int) -> int:
        if self._original is None or self._original.width() == 0:
            return EMPTY_HEIGHT
        return round(min(width, self.max_width) * self._original.height() / self._original.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def fitted_width(self, width: int, height: int) -> int:
        """The width a picture of this size is shown at: the widest that fits both ways (a short panel
        narrows it rather than cutting it off); a small one is enlarged to fit, as a video player does."""
        shown = min(self.width(), self.max_width)
        if shown * height > (self.height() + 1) * width:  # a pixel of rounding is no cut
            shown = self.height() * width // max(1, height)
        return max(1, shown)

    def _fit(self) -> None:
        original = self._original
        if original is None or original.isNull():
            return
        width = self.fitted_width(original.width(), original.height())
        if original.width() == width:  # decoded at the size shown already (SendPreview does): no scaling
            self.setPixmap(original)
            return
        self.setPixmap(original.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))
