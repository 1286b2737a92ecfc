"""The Ingress model the client, the engine and the sandbox share: kinds and statuses, the server's rules,
field merges, the encoding presets.

No I/O and nothing window-facing: the sandbox imports from here, never from `display` or `ui`.
"""
