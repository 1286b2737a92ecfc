"""Every project the app knows, from all sources, in the order a streamer expects them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ingress_studio.config.lk_cli_config import read_lk_projects
from ingress_studio.config.project import (
    DEFAULT_SANDBOX_URL,
    ENVIRONMENT_PROJECT_NAME,
    SANDBOX_API_KEY,
    SANDBOX_API_SECRET,
    SANDBOX_PROJECT_NAME,
    Project,
    ProjectSource,
)
from ingress_studio.config.saved_projects import SavedProjects
from ingress_studio.redaction import register_secret


def sandbox_project(url: str = DEFAULT_SANDBOX_URL) -> Project:
    return Project(SANDBOX_PROJECT_NAME, url, SANDBOX_API_KEY, SANDBOX_API_SECRET, ProjectSource.SANDBOX)


def environment_project(environ: Mapping[str, str] | None = None) -> Project | None:
    env = os.environ if environ is None else environ
    url = env.get("LIVEKIT_URL", "")
    key = env.get("LIVEKIT_API_KEY", "")
    secret = env.get("LIVEKIT_API_SECRET", "")
    if not (url and key and secret):
        return None
    register_secret(secret)
    return Project(ENVIRONMENT_PROJECT_NAME, url, key, secret, ProjectSource.ENVIRONMENT)


def all_projects(
    saved: SavedProjects,
    sandbox_url: str = DEFAULT_SANDBOX_URL,
    environ: Mapping[str, str] | None = None,
    lk_config: Path | None = None,
) -> list[Project]:
    """Sandbox first, then the environment, then lk's projects, then the user's saved ones."""
    projects = [sandbox_project(sandbox_url)]
    env_project = environment_project(environ)
    if env_project:
        projects.append(env_project)
    lk_projects, _default = read_lk_projects(lk_config)
    projects.extend(lk_projects)
    projects.extend(saved.load())
    return projects


def find_project(projects: list[Project], name: str) -> Project | None:
    for project in projects:
        if project.name == name:
            return project
    lowered = name.lower()
    return next((p for p in projects if p.name.lower() == lowered), None)
