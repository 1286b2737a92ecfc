"""A local stand-in for a LiveKit server's Ingress API (and, later, its RTMP/WHIP endpoints)."""
