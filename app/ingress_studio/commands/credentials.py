"""Which project a command talks to: --sandbox, --project NAME, --url/--api-key/--api-secret, env, lk."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from ingress_studio.config.project import DEFAULT_SANDBOX_URL, Project, ProjectSource
from ingress_studio.redaction import register_secret
from ingress_studio.user_error import UserError

if TYPE_CHECKING:  # the API stack loads when a command talks to a server, not at every start
    from ingress_studio.api.client import IngressClient


class CredentialsError(UserError):
    """No usable project could be chosen from the arguments, environment and config files."""


def add_credential_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("project (where the Ingress API is)")
    group.add_argument("--sandbox", action="store_true", help=f"the local sandbox (default {DEFAULT_SANDBOX_URL})")
    group.add_argument("--project", metavar="NAME", help="a saved, lk CLI, or built-in project by name")
    group.add_argument("--url", help="server URL (default: $LIVEKIT_URL)")
    group.add_argument("--api-key", help="API key (default: $LIVEKIT_API_KEY)")
    group.add_argument("--api-secret", help="API secret (default: $LIVEKIT_API_SECRET)")


def resolve_project(args: argparse.Namespace) -> Project:
    # keyring and YAML load only when a command needs a project, not at every start
    from ingress_studio.config.lk_cli_config import read_lk_projects
    from ingress_studio.config.projects import all_projects, find_project, sandbox_project
    from ingress_studio.config.saved_projects import SavedProjects
    from ingress_studio.config.secrets import SecretStore

    if args.api_secret:
        register_secret(args.api_secret)
    if args.sandbox:
        return sandbox_project(args.url or DEFAULT_SANDBOX_URL)
    if args.project:
        projects = all_projects(SavedProjects(SecretStore()))
        found = find_project(projects, args.project)
        if found is None:
            names = ", ".join(p.name for p in projects)
            raise CredentialsError(f"No project named “{args.project}”. Known projects: {names}.")
        return found
    env = os.environ
    if args.url or args.api_key or args.api_secret or env.get("LIVEKIT_URL"):
        url = args.url or env.get("LIVEKIT_URL", "")
        key = args.api_key or env.get("LIVEKIT_API_KEY", "")
        secret = args.api_secret or env.get("LIVEKIT_API_SECRET", "")
        missing = [name for name, value in (("--url", url), ("--api-key", key), ("--api-secret", secret)) if not value]
        if missing:
            raise CredentialsError(
                f"Missing {', '.join(missing)}: pass them, or set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET."
            )
        register_secret(secret)
        return Project("command line", url, key, secret, ProjectSource.ENVIRONMENT)
    lk_projects, default = read_lk_projects()
    if default:
        found = find_project(lk_projects, default)
        if found is not None:
            return found
    raise CredentialsError(
        "No project chosen: pass --sandbox, --project NAME, or --url/--api-key/--api-secret "
        "(or set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET)."
    )


def sandbox_not_running(url: str) -> str:
    return (
        f"No sandbox is running at {url}: start one with `ingress-studio sandbox` "
        "(or open the app, which runs one), then try again."
    )


@contextlib.asynccontextmanager
async def project_client(args: argparse.Namespace) -> AsyncIterator[IngressClient]:
    """The chosen project's API client. When it is the sandbox and nothing answers, say how to start one."""
    from ingress_studio.api.client import IngressClient
    from ingress_studio.api.errors import ApiError

    project = resolve_project(args)
    try:
        async with IngressClient(project) as client:
            yield client
    except ApiError as exc:
        if exc.unreachable and project.source is ProjectSource.SANDBOX:
            raise ApiError(sandbox_not_running(project.url), unreachable=True) from exc
        raise
