"""What the log viewer says about what it shows: how many lines, what was not read, where the files are."""

from __future__ import annotations

from pathlib import Path


def shown_text(shown: int, matching: int, read: int, skipped: bool, budget_bytes: int) -> str:
    """ "Showing the newest 5,000 of 7,310 matching lines (12,002 read)." and what was left unread."""
    if read == 0:
        counts = "No lines."
    elif shown < matching:
        counts = f"Showing the newest {shown:,} of {matching:,} matching lines ({read:,} read)."
    else:
        counts = f"Showing {shown:,} of {read:,} lines." if shown != read else f"Showing all {read:,} lines."
    if skipped:
        counts += f" Older lines were not read: only the newest {budget_bytes / 1e6:g} MB of each program's log."
    return counts


def empty_text(read: int, loading: bool, folder: Path) -> str:
    """What the empty view says: still reading, nothing logged yet, or nothing that matches."""
    if loading:
        return "Reading the logs…"
    if read == 0:
        return f"No log lines yet.\n\nThe programs write their logs to {folder}"
    return "No lines match: choose a lower level, another program, or other words to search for."


def folder_text(folder: Path) -> str:
    return f"Log files: {folder}"
