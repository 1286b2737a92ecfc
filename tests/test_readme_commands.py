"""The README's two commands exist, and CI runs exactly the test one."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    section = (ROOT / "README.md").read_text().split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_a_run_and_a_test_command() -> None:
    assert readme_commands() == ["bash packaging/dev.sh run", "bash packaging/dev.sh test"]
    assert (ROOT / "packaging" / "dev.sh").is_file()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line.strip() for line in ci if line.strip() and not line.lstrip().startswith(("#", "set ", "cd "))]
    assert commands == [readme_commands()[1]]


def test_the_run_command_starts_the_app_without_test_packages() -> None:
    """The run command sets up its own venv; nothing test-only (keyrings.alt's plain-text keyring!) is in it."""
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "dev.sh"), "run", "--version"],
        capture_output=True,
        text=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k not in ("INGRESS_STUDIO_VENV", "VIRTUAL_ENV")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ingress-studio ")
    python = ROOT / ".venv-run" / "bin" / "python"
    for test_only in ("keyrings.alt", "pytest", "pytestqt", "mypy"):
        probe = subprocess.run([str(python), "-c", f"import {test_only}"], capture_output=True)
        assert probe.returncode != 0, f"{test_only} is installed in the run command's venv"
