"""Clients of the child programs (`ingress-studio engine`, `ingress-studio sandbox`), Qt-free.

Their JSON lines become typed messages (docs/control-protocol.md for the engine, the `--ready-json` lines for
the sandbox); a `ChildSession` turns a child's bytes and its exit into typed events whatever runs the process:
asyncio here (`asyncio_child`), QProcess in `ui/`.
"""
