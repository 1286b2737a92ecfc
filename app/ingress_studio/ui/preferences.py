"""The window's preferences in QSettings: never secrets, only how the window looks and behaves."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_REFRESH_S = 2.0
REFRESH_CHOICES_S = (1.0, 2.0, 5.0, 10.0, 30.0)


class Preferences:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def refresh_s(self) -> float:
        try:
            value = float(str(self._settings.value("refresh/interval_s", DEFAULT_REFRESH_S)))
        except ValueError:
            return DEFAULT_REFRESH_S
        return value if value in REFRESH_CHOICES_S else DEFAULT_REFRESH_S

    @refresh_s.setter
    def refresh_s(self, seconds: float) -> None:
        self._settings.setValue("refresh/interval_s", seconds)

    @property
    def project_name(self) -> str:
        return str(self._settings.value("project/last", "") or "")

    @project_name.setter
    def project_name(self, name: str) -> None:
        self._settings.setValue("project/last", name)

    @property
    def file_folder(self) -> Path:
        """Where import and export dialogs open: the folder used last, else home (never the working folder)."""
        folder = Path(str(self._settings.value("files/last_folder", "") or Path.home()))
        return folder if folder.is_dir() else Path.home()

    @file_folder.setter
    def file_folder(self, folder: Path) -> None:
        self._settings.setValue("files/last_folder", str(folder))

    @property
    def last_source(self) -> str:
        """The Go-live panel's source, as SourceChoice JSON ("" = none saved)."""
        return str(self._settings.value("go_live/source", "") or "")

    @last_source.setter
    def last_source(self, choice_json: str) -> None:
        self._settings.setValue("go_live/source", choice_json)

    @property
    def push_encoding(self) -> str:
        """The Go-live panel's advanced encoder settings, as PushEncoding's JSON ("" = none saved)."""
        return str(self._settings.value("go_live/encoding", "") or "")

    @push_encoding.setter
    def push_encoding(self, encoding_json: str) -> None:
        self._settings.setValue("go_live/encoding", encoding_json)

    @property
    def last_ingress(self) -> str:
        """The ingress last gone live to ("" = none): selected again at the next start."""
        return str(self._settings.value("go_live/ingress", "") or "")

    @last_ingress.setter
    def last_ingress(self, ingress_id: str) -> None:
        self._settings.setValue("go_live/ingress", ingress_id)

    @property
    def close_to_tray(self) -> bool:
        """Closing the window leaves Ingress Studio running in the tray (when there is one) instead of quitting."""
        return str(self._settings.value("tray/close_to_tray", "false")).lower() == "true"

    @close_to_tray.setter
    def close_to_tray(self, on: bool) -> None:
        self._settings.setValue("tray/close_to_tray", "true" if on else "false")

    def geometry(self, key: str) -> QByteArray | None:
        return self._bytes(f"window/{key}")

    def set_geometry(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self._settings.sync()
