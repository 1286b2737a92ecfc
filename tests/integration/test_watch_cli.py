"""`ingress-studio watch` as a user runs it, against a real sandbox."""

from __future__ import annotations

from support.run_program import run_ingress_studio
from support.sandbox_process import SandboxServer


def test_an_unknown_ingress_is_one_sentence_and_exit_1(watched_sandbox: SandboxServer) -> None:
    result = run_ingress_studio("watch", "--sandbox", "--url", watched_sandbox.url, "--ingress", "IN_nothing", "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        "ingress-studio watch: Not found: ingress does not exist. It may have been deleted; refresh the list."
    )


def test_no_project_at_all_is_one_sentence(watched_sandbox: SandboxServer) -> None:
    result = run_ingress_studio("watch", "--url", watched_sandbox.url, "--ingress", "IN_x", env={"LIVEKIT_API_KEY": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("ingress-studio watch: Missing --api-key, --api-secret")
