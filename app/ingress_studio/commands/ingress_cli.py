"""`ingress-studio ingress create|update|list|delete`, file-compatible with `lk ingress`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ingress_studio.commands.credentials import add_credential_arguments
from ingress_studio.commands.terminal_text import message_line

if TYPE_CHECKING:  # the API stack is imported when a command runs, not when any command starts
    from livekit.protocol import ingress as ingress_pb


def add_ingress_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("ingress", help="create, list, update and delete ingresses (like `lk ingress`)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, what in (("create", "CreateIngressRequest"), ("update", "UpdateIngressRequest")):
        sub = actions.add_parser(name, help=f"{name} an ingress from an lk-style ingress.json")
        sub.add_argument("request", metavar="FILE|JSON|-", help=f"{what} as a file, inline JSON, or - for stdin")
        add_credential_arguments(sub)
    listing = actions.add_parser("list", help="list ingresses")
    listing.add_argument("--room", default="", help="only this room's ingresses")
    listing.add_argument("--id", default="", help="only this ingress")
    listing.add_argument("--limit", type=int, default=0, help="at most this many (the newest)")
    listing.add_argument("--json", action="store_true", help="print a ListIngressResponse as JSON")
    add_credential_arguments(listing)
    delete = actions.add_parser("delete", help="delete an ingress")
    delete.add_argument("ingress_id", metavar="ID")
    add_credential_arguments(delete)


def read_request_text(argument: str) -> str:
    """lk's rule: '-' is stdin, text starting with '{' is JSON, anything else a file path."""
    from ingress_studio.api.spec import SpecError

    if argument == "-":
        return sys.stdin.read()
    if argument.lstrip().startswith("{"):
        return argument
    path = Path(argument)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SpecError(f"file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read {path}: {exc}") from exc


def print_info(info: ingress_pb.IngressInfo) -> None:
    from livekit.protocol import ingress as ingress_pb

    from ingress_studio.commands.terminal_text import printable  # a listing shows the key on purpose

    status = ingress_pb.IngressState.Status.Name(info.state.status)
    if info.state.error:
        print(printable(f"IngressID: {info.ingress_id} Error: {info.state.error}"))
    else:
        print(printable(f"IngressID: {info.ingress_id} Status: {status}"))
        print(printable(f"URL: {info.url} Stream Key: {info.stream_key}"))


async def _run(args: argparse.Namespace) -> None:
    from google.protobuf import json_format
    from livekit.protocol import ingress as ingress_pb

    from ingress_studio.api.spec import parse_create_request, parse_update_request
    from ingress_studio.commands.credentials import project_client
    from ingress_studio.commands.ingress_table import render_table

    async with project_client(args) as client:
        if args.action == "create":
            print_info(await client.create(parse_create_request(read_request_text(args.request))))
        elif args.action == "update":
            print_info(await client.update(parse_update_request(read_request_text(args.request))))
        elif args.action == "delete":
            print_info(await client.delete(args.ingress_id))
        else:
            items = await client.list(room=args.room, ingress_id=args.id)
            if args.limit > 0:
                items = items[-args.limit :]
            if args.json:
                response = ingress_pb.ListIngressResponse(items=items)
                data = json_format.MessageToDict(
                    response, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
                )
                print(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                print(render_table(items))


def run_ingress_command(args: argparse.Namespace) -> int:
    from ingress_studio.api.errors import ApiError
    from ingress_studio.api.spec import SpecError
    from ingress_studio.commands.credentials import CredentialsError

    try:
        import asyncio  # not at import time: every command's start builds this parser

        asyncio.run(_run(args))
    except SpecError as exc:
        print(f"ingress-studio ingress {args.action}: invalid request: {message_line(exc.message)}", file=sys.stderr)
        return 2
    except (ApiError, CredentialsError) as exc:  # the server's words are in it: escape what a terminal obeys
        print(f"ingress-studio ingress {args.action}: {message_line(exc.message)}", file=sys.stderr)
        return 1
    return 0
