"""Watching a LiveKit room with the official rtc SDK: what a hidden subscriber receives from one participant.

Child programs only (`ingress-studio watch`, `ingress-studio watcher`): the SDK's native library aborts its
process on some bad server data (FACTS §6), so the window's packages never import this one.
"""
