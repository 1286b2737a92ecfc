"""Media failures that end a push, each with one sentence a streamer can act on."""

from __future__ import annotations

from ingress_studio.user_error import UserError


class MediaError(UserError):
    """A push cannot start or continue. `message` is the one line to show."""


class SourceError(MediaError):
    """The input cannot be opened or read (missing, empty, not media, unknown device)."""


class TargetError(MediaError):
    """The destination refused us, or cannot carry what we would send."""


class TargetUnauthorized(TargetError):
    """The destination refused the stream key or token; retrying cannot help."""
