"""The `lk ingress list` table: IngressID, Name, Room, StreamKey, URL, Status, Error."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb

from ingress_studio.commands.terminal_text import printable

COLUMNS = ("IngressID", "Name", "Room", "StreamKey", "URL", "Status", "Error")


def ingress_row(info: ingress_pb.IngressInfo) -> tuple[str, ...]:
    """The row's cells, with control characters escaped: every one of them is the server's (or a user's) text."""
    status = ingress_pb.IngressState.Status.Name(info.state.status) if info.HasField("state") else ""
    cells = (info.ingress_id, info.name, info.room_name, info.stream_key, info.url, status, info.state.error)
    return tuple(printable(cell) for cell in cells)


def render_table(items: list[ingress_pb.IngressInfo]) -> str:
    rows = [COLUMNS, *(ingress_row(info) for info in items)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    border = "+-" + "-+-".join("-" * w for w in widths) + "-+"

    def line(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"

    out = [border, line(COLUMNS), border, *(line(row) for row in rows[1:]), border]
    return "\n".join(out)
