"""Latency figures over a sliding window of clock-stamp readings."""

from __future__ import annotations

from ingress_studio.media.latency_window import LatencyWindow


def test_newest_and_percentiles_over_the_window() -> None:
    window = LatencyWindow(window_s=10)
    for index, latency in enumerate([*range(100, 200), 900]):  # one slow picture among 101
        window.add(latency, now=index * 0.05)
    figures = window.figures(now=5.0)
    assert figures.newest_ms == 900
    assert figures.p50_ms == 150
    assert figures.p95_ms == 195
    assert figures.as_fields() == {"latency_ms": 900, "latency_p50_ms": 150, "latency_p95_ms": 195}


def test_old_readings_leave_the_window_and_then_there_are_no_figures() -> None:
    window = LatencyWindow(window_s=10)
    window.add(5000, now=0.0)
    window.add(100, now=9.0)
    assert window.figures(now=10.5).p95_ms == 100  # the 5 s outlier is 10.5 s old: gone
    assert window.figures(now=20.0).as_fields() == {"latency_ms": None, "latency_p50_ms": None, "latency_p95_ms": None}
