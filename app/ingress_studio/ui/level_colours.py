"""The colours of the stats panel's levels, as OBS uses them, readable on a light and on a dark theme."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from ingress_studio.display.stats_figures import Level

DARK_BELOW_LIGHTNESS = 128  # a window colour darker than this is a dark theme
# OBS's own on a light background: warning rgb(192,128,0), danger rgb(192,0,0), good rgb(0,128,0).
ON_LIGHT = {Level.OK: QColor(0, 128, 0), Level.WARNING: QColor(192, 128, 0), Level.DANGER: QColor(192, 0, 0)}
# The same hues, lighter, so they keep their contrast on a dark background.
ON_DARK = {Level.OK: QColor(90, 200, 90), Level.WARNING: QColor(240, 176, 48), Level.DANGER: QColor(255, 96, 96)}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < DARK_BELOW_LIGHTNESS


def level_colour(level: Level, palette: QPalette, ok_in_colour: bool = False) -> QColor:
    """The text colour for a figure of this level. OK is the plain text colour unless `ok_in_colour` (a status:
    LIVE in green), as OBS leaves a healthy figure uncoloured."""
    if level is Level.NONE or (level is Level.OK and not ok_in_colour):
        return palette.color(QPalette.ColorRole.WindowText)
    return (ON_DARK if is_dark(palette) else ON_LIGHT)[level]
