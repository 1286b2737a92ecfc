"""Per-user folders for data, configuration and logs (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from ingress_studio import APP_NAME


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def sandbox_data_dir() -> Path:
    return user_data_dir() / "sandbox"
