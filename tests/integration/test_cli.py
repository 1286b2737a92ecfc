"""`ingress-studio ingress …` as a user runs it: a real process, an lk-style ingress.json, a real sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.run_program import run_ingress_studio as run_cli
from support.sandbox_process import SandboxServer


def creds(sandbox: SandboxServer) -> list[str]:
    return ["--url", sandbox.url, "--api-key", "devkey", "--api-secret", "secret"]


def test_round_trip_from_seed_format_file(sandbox: SandboxServer, tmp_path: Path) -> None:
    spec = tmp_path / "ingress.json"
    # The seed document's example, with its placeholders filled in (and its comments removed: JSON has none).
    spec.write_text(
        json.dumps(
            {
                "input_type": 0,
                "name": "Name of the ingress goes here",
                "room_name": "cli-room",
                "participant_identity": "cli-identity",
                "participant_name": "CLI Participant",
                "enable_transcoding": True,
            }
        )
    )
    created = run_cli("ingress", "create", str(spec), *creds(sandbox))
    assert created.returncode == 0, created.stderr
    first, second = created.stdout.splitlines()
    assert first.startswith("IngressID: IN_") and first.endswith("Status: ENDPOINT_INACTIVE")
    ingress_id = first.split()[1]
    assert second.startswith(f"URL: {sandbox.info['rtmp_base_url']} Stream Key: ")
    stream_key = second.rsplit(" ", 1)[1]

    table = run_cli("ingress", "list", "--room", "cli-room", *creds(sandbox))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert [c.strip() for c in lines[1].strip("|").split("|")] == [
        "IngressID",
        "Name",
        "Room",
        "StreamKey",
        "URL",
        "Status",
        "Error",
    ]
    row = [c.strip() for c in lines[3].strip("|").split("|")]
    assert row == [
        ingress_id,
        "Name of the ingress goes here",
        "cli-room",
        stream_key,
        sandbox.info["rtmp_base_url"],
        "ENDPOINT_INACTIVE",
        "",
    ]

    update = tmp_path / "update.json"
    update.write_text(json.dumps({"ingress_id": ingress_id, "name": "renamed", "participantName": "New Name"}))
    updated = run_cli("ingress", "update", str(update), *creds(sandbox))
    assert updated.returncode == 0, updated.stderr

    as_json = run_cli("ingress", "list", "--id", ingress_id, "--json", *creds(sandbox))
    assert as_json.returncode == 0, as_json.stderr
    [item] = json.loads(as_json.stdout)["items"]
    assert item["name"] == "renamed" and item["participant_name"] == "New Name"
    assert item["participant_identity"] == "cli-identity" and item["input_type"] == "RTMP_INPUT"

    deleted = run_cli("ingress", "delete", ingress_id, *creds(sandbox))
    assert deleted.returncode == 0 and deleted.stdout.startswith(f"IngressID: {ingress_id}")
    gone = run_cli("ingress", "list", "--id", ingress_id, *creds(sandbox))
    assert gone.returncode == 1
    assert gone.stderr.strip() == (
        "ingress-studio ingress list: Not found: ingress does not exist. It may have been deleted; refresh the list."
    )


def test_inline_json_stdin_and_environment_credentials(sandbox: SandboxServer) -> None:
    env = {"LIVEKIT_URL": sandbox.url, "LIVEKIT_API_KEY": "devkey", "LIVEKIT_API_SECRET": "secret"}
    inline = run_cli(
        "ingress", "create", '{"inputType": "WHIP_INPUT", "roomName": "env-room", "participantIdentity": "e"}', env=env
    )
    assert inline.returncode == 0, inline.stderr
    piped = run_cli(
        "ingress",
        "create",
        "-",
        stdin='{"input_type": "RTMP_INPUT", "room_name": "env-room", "participant_identity": "s"}',
        env=env,
    )
    assert piped.returncode == 0, piped.stderr
    listed = run_cli("ingress", "list", "--room", "env-room", "--json", env=env)
    assert sorted(i["input_type"] for i in json.loads(listed.stdout)["items"]) == ["RTMP_INPUT", "WHIP_INPUT"]
    limited = run_cli("ingress", "list", "--room", "env-room", "--json", "--limit", "1", env=env)
    assert [i["input_type"] for i in json.loads(limited.stdout)["items"]] == ["RTMP_INPUT"]


def test_sandbox_flag_and_lk_project(sandbox: SandboxServer, tmp_path: Path) -> None:
    listed = run_cli("ingress", "list", "--sandbox", "--url", sandbox.url)
    assert listed.returncode == 0, listed.stderr
    home = tmp_path / "home"
    (home / ".livekit").mkdir(parents=True)
    (home / ".livekit" / "cli-config.yaml").write_text(
        "default_project: local\nprojects:\n"
        f"  - name: local\n    url: {sandbox.url}\n    api_key: devkey\n    api_secret: secret\n"
    )
    by_name = run_cli("ingress", "list", "--project", "local", env={"HOME": str(home)})
    assert by_name.returncode == 0, by_name.stderr
    by_default = run_cli("ingress", "list", env={"HOME": str(home)})
    assert by_default.returncode == 0, by_default.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["create", '{"input_type": "RTMP_INPUT", "nmae": "typo"}'], None, "unknown field “nmae”"),
        (["create", "{not json"], None, "not valid JSON"),
        (["create", "/nonexistent/ingress.json"], None, "file not found: /nonexistent/ingress.json"),
        (["create", "-"], '{"input_type": "SRT_INPUT"}', "“SRT_INPUT” is not a value of “input_type”: use one of"),
        (["update", '{"name": "no id"}'], None, "an update needs “ingress_id”"),
        (
            ["create", '{"input_type": 0, "room_name": "r"}'],
            None,
            "Not sent: invalid ingress: no participant identity.",
        ),
    ],
)
def test_bad_input_is_one_line_and_nonzero(
    sandbox: SandboxServer, args: list[str], stdin: str | None, message: str
) -> None:
    result = run_cli("ingress", *args, *creds(sandbox), stdin=stdin)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_dead_server_and_wrong_secret(tmp_path: Path) -> None:
    dead = run_cli("ingress", "list", "--url", "http://127.0.0.1:9", "--api-key", "k", "--api-secret", "s" * 32)
    assert dead.returncode == 1
    assert dead.stderr.strip() == (
        "ingress-studio ingress list: Cannot connect to http://127.0.0.1:9 (connection refused). "
        "Is the server running and the URL right?"
    )
    no_project = run_cli("ingress", "list", env={"HOME": str(tmp_path)})
    assert no_project.returncode == 1 and "No project chosen" in no_project.stderr


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip().startswith("ingress-studio 0.")


def test_control_characters_in_names_are_escaped_in_the_table(sandbox: SandboxServer) -> None:
    hostile = "cam\x1b]0;owned\x07\x1b[2J\x00one\ntwo\u202eevil\x9b"
    spec = {"input_type": "RTMP_INPUT", "name": hostile, "room_name": "ctl-room", "participant_identity": "p"}
    created = run_cli("ingress", "create", json.dumps(spec), *creds(sandbox))
    assert created.returncode == 0, created.stderr
    table = run_cli("ingress", "list", "--room", "ctl-room", *creds(sandbox))
    assert table.returncode == 0, table.stderr
    assert all(ch == "\n" or ch.isprintable() for ch in table.stdout), repr(table.stdout)
    lines = table.stdout.splitlines()
    assert len(lines) == 5  # border, header, border, one row, border: the newline did not break the row
    assert "cam\\x1b]0;owned\\x07\\x1b[2J\\x00one\\ntwo\\u202eevil\\x9b" in lines[3]
    as_json = run_cli("ingress", "list", "--room", "ctl-room", "--json", *creds(sandbox))
    [item] = json.loads(as_json.stdout)["items"]
    assert item["name"] == hostile  # JSON stays JSON: the exact name, escaped the JSON way
