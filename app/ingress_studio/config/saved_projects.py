"""Projects the user saved in Ingress Studio: name, URL and key in a JSON file, secret in the keyring."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from ingress_studio.config.paths import user_config_dir
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.config.secrets import SecretStore

log = logging.getLogger(__name__)

PROJECTS_FILE = "projects.json"


class SavedProjects:
    def __init__(self, secrets: SecretStore, folder: Path | None = None) -> None:
        self._secrets = secrets
        self._path = (folder or user_config_dir()) / PROJECTS_FILE
        self.told_secrets_are_session_only = False  # said once a session, not at every save

    @property
    def path(self) -> Path:
        return self._path

    def _read_entries(self) -> list[dict[str, str]]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("cannot read %s: %s", self._path, exc)
            return []
        entries = data.get("projects", []) if isinstance(data, dict) else []
        return [e for e in entries if isinstance(e, dict) and e.get("name") and e.get("url")]

    def _write_entries(self, entries: list[dict[str, str]]) -> None:
        # Write to a temp file and rename, so a crash never leaves a half-written list.
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".projects-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"projects": entries}, handle, indent=2)
        os.replace(tmp, self._path)

    def load(self) -> list[Project]:
        return [
            Project(
                name=e["name"],
                url=e["url"],
                api_key=e.get("api_key", ""),
                api_secret=self._secrets.get(e["name"], e.get("api_key", "")),
                source=ProjectSource.SAVED,
            )
            for e in self._read_entries()
        ]

    def save(self, name: str, url: str, api_key: str, api_secret: str) -> bool:
        """Add or replace a project. Returns False if the secret is only kept for this session."""
        entries = [e for e in self._read_entries() if e["name"] != name]
        entries.append({"name": name, "url": url, "api_key": api_key})
        self._write_entries(entries)
        return self._secrets.set(name, api_key, api_secret)

    def remove(self, name: str) -> None:
        entries = self._read_entries()
        for entry in entries:
            if entry["name"] == name:
                self._secrets.delete(name, entry.get("api_key", ""))
        self._write_entries([e for e in entries if e["name"] != name])
