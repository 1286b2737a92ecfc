"""A local stand-in for a LiveKit server: its Ingress API, RTMP and WHIP endpoints, URL pulls, live state."""
