"""Colours the log view's lines by level: warnings amber, errors red, a traceback as its record."""

from __future__ import annotations

import logging

from PySide6.QtGui import QPalette, QSyntaxHighlighter, QTextDocument

from ingress_studio.display.log_records import header_level
from ingress_studio.display.stats_figures import Level
from ingress_studio.ui.level_colours import level_colour


class LogHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self._colours = {
            logging.WARNING: level_colour(Level.WARNING, palette),
            logging.ERROR: level_colour(Level.DANGER, palette),
        }

    def highlightBlock(self, text: str) -> None:
        level = header_level(text)
        if level is None:  # a continuation line: its record's level (a block's state is -1 until set)
            level = max(self.previousBlockState(), logging.NOTSET)
        self.setCurrentBlockState(level)
        if level >= logging.WARNING:  # critical as error
            self.setFormat(0, len(text), self._colours[min(level, logging.ERROR)])
