"""Projects from the `lk` CLI's own file, ~/.livekit/cli-config.yaml."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.redaction import register_secret

log = logging.getLogger(__name__)


def lk_cli_config_path() -> Path:
    return Path.home() / ".livekit" / "cli-config.yaml"


def read_lk_projects(path: Path | None = None) -> tuple[list[Project], str | None]:
    """Return the projects in lk's config and the name of its default project.

    A missing file means no projects; a broken one is logged and treated the same, because the
    user's other projects must still work.
    """
    path = path or lk_cli_config_path()
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], None
    except (OSError, yaml.YAMLError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return [], None
    if not isinstance(raw, dict):
        return [], None
    projects: list[Project] = []
    entries = raw.get("projects")
    for entry in entries if isinstance(entries, list) else []:  # a hand-edited file may hold anything
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
            continue
        secret = str(entry.get("api_secret") or "") or None
        register_secret(secret)
        projects.append(
            Project(
                name=str(entry["name"]),
                url=str(entry["url"]),
                api_key=str(entry.get("api_key") or ""),
                api_secret=secret,
                source=ProjectSource.LK_CLI,
            )
        )
    default = raw.get("default_project")
    return projects, str(default) if default else None
