"""Rules a push's sources must meet before anything connects, shared by the push and its pre-flight probe."""

from __future__ import annotations

from ingress_studio.media.errors import SourceError
from ingress_studio.media.inputs import OpenedInput


def refuse_still_in_playlist(opened: OpenedInput, playlist_length: int) -> None:
    """A still picture is held until stopped, so nothing after it would ever play: it must be pushed alone."""
    if opened.still and playlist_length > 1:
        raise SourceError(
            f"{opened.spec.describe()} is a still picture: push it on its own "
            "(it is held until --duration, or until stopped)."
        )
