"""`lk`-style ingress.json files from the window: read one into a create request, write one from an ingress.
Each failure is one sentence naming the file (FileProblem); nothing is sent for a bad file."""

from __future__ import annotations

from pathlib import Path

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.spec import SpecError, dumps_spec, export_spec, parse_create_request
from ingress_studio.user_error import UserError


class FileProblem(UserError):
    """A file that cannot be read, written or understood; `message` says which and why."""


def read_create_request(path: Path) -> ingress_pb.CreateIngressRequest:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileProblem(f"{path.name} cannot be read ({getattr(exc, 'strerror', None) or exc}).") from exc
    try:
        return parse_create_request(text)
    except SpecError as exc:
        raise FileProblem(f"{path.name} is not a valid ingress.json: {exc}") from exc


def write_spec(path: Path, info: ingress_pb.IngressInfo) -> None:
    try:
        path.write_text(dumps_spec(export_spec(info)), encoding="utf-8")
    except OSError as exc:
        raise FileProblem(f"{path} cannot be written ({exc.strerror or exc}).") from exc


def suggested_file_name(info: ingress_pb.IngressInfo) -> str:
    return f"{(info.name or info.ingress_id).replace('/', '-')}.json"
