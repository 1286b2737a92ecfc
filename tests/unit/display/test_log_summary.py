"""What the log viewer says about the lines it shows and the ones it left out."""

from __future__ import annotations

from pathlib import Path

from ingress_studio.display.log_summary import empty_text, shown_text


def test_counts_say_what_is_shown_and_what_was_not_read() -> None:
    assert shown_text(0, 0, 0, skipped=False, budget_bytes=3_000_000) == "No lines."
    assert shown_text(12, 12, 12, skipped=False, budget_bytes=3_000_000) == "Showing all 12 lines."
    assert shown_text(3, 3, 12, skipped=False, budget_bytes=3_000_000) == "Showing 3 of 12 lines."
    assert shown_text(5000, 7310, 12002, skipped=True, budget_bytes=3_000_000) == (
        "Showing the newest 5,000 of 7,310 matching lines (12,002 read)."
        " Older lines were not read: only the newest 3 MB of each program's log."
    )


def test_an_empty_view_says_why() -> None:
    folder = Path("/home/me/logs")
    assert empty_text(0, loading=True, folder=folder) == "Reading the logs…"
    nothing = empty_text(0, loading=False, folder=folder)
    assert nothing == "No log lines yet.\n\nThe programs write their logs to /home/me/logs"
    assert empty_text(4, loading=False, folder=folder).startswith("No lines match")
