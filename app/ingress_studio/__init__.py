"""Ingress Studio: manage LiveKit ingresses, push media to them, and run an offline sandbox."""

__version__ = "0.1.0"
APP_NAME = "ingress-studio"
