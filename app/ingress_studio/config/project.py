"""A LiveKit project: where the server is and which credentials talk to it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ProjectSource(Enum):
    SANDBOX = "sandbox"
    ENVIRONMENT = "environment"
    LK_CLI = "lk"
    SAVED = "saved"


SANDBOX_API_KEY = "devkey"
SANDBOX_API_SECRET = "secret"
SANDBOX_PROJECT_NAME = "Sandbox"
ENVIRONMENT_PROJECT_NAME = "Environment"
DEFAULT_SANDBOX_URL = "http://127.0.0.1:7880"


@dataclass(frozen=True)
class Project:
    name: str
    url: str
    api_key: str
    api_secret: str | None
    source: ProjectSource

    @property
    def has_secret(self) -> bool:
        return bool(self.api_secret)

    def __repr__(self) -> str:  # never print the secret, even by accident
        return f"Project(name={self.name!r}, url={self.url!r}, api_key={self.api_key!r}, source={self.source})"
