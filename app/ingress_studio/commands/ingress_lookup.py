"""One ingress of the chosen project by its id, for the commands that take `--ingress ID` (push, probe)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingress_studio.commands.credentials import CredentialsError

if TYPE_CHECKING:  # the API stack loads when a command talks to a server, not at every start
    from livekit.protocol import ingress as ingress_pb

    from ingress_studio.api.client import IngressClient


async def find_ingress(client: IngressClient, ingress_id: str) -> ingress_pb.IngressInfo:
    """The ingress with exactly this id; CredentialsError (or the server's not-found ApiError) if none."""
    # an empty id would list them all: ask only for a real one, and take only an exact match
    found = await client.list(ingress_id=ingress_id) if ingress_id.strip() else []
    matching = [info for info in found if info.ingress_id == ingress_id]
    if not matching:
        raise CredentialsError(f"No ingress “{ingress_id}” in this project: `ingress-studio ingress list` shows them.")
    return matching[0]
