"""Projects from every source, and secrets kept in the keyring, never in clear files."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
from keyring.backends import chainer, fail, null
from keyrings.alt.file import PlaintextKeyring

from ingress_studio.config.project import ProjectSource
from ingress_studio.config.projects import all_projects, environment_project, find_project
from ingress_studio.config.saved_projects import SavedProjects
from ingress_studio.config.secrets import KEYRING_SERVICE, NO_KEYRING_MESSAGE, SecretStore, encrypting_backend
from support.secret_service import SecretService, reload_keyring_backends


def test_environment_project_needs_all_three() -> None:
    assert environment_project({"LIVEKIT_URL": "https://a", "LIVEKIT_API_KEY": "k"}) is None
    project = environment_project({"LIVEKIT_URL": "https://a", "LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": "s"})
    assert project is not None and project.source == ProjectSource.ENVIRONMENT
    assert "s" not in repr(project).replace("source", "").replace("https", "")


def test_all_sources_in_order(tmp_path: Path) -> None:
    lk = tmp_path / "cli-config.yaml"
    lk.write_text(
        "default_project: prod\nprojects:\n"
        "  - name: prod\n    project_id: p_1\n    url: wss://prod.livekit.cloud\n    api_key: APIprod\n"
        "    api_secret: prodsecretprodsecret\n"
        "  - name: staging\n    url: wss://staging.example\n    api_key: APIstg\n    api_secret: stgsecretstgsecret\n"
    )
    saved = SavedProjects(SecretStore(), folder=tmp_path / "config")
    saved.save("mine", "https://mine.example", "APImine", "minesecretminesecret")
    env = {"LIVEKIT_URL": "https://env", "LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": "envsecretenvsecret"}
    projects = all_projects(saved, environ=env, lk_config=lk)
    assert [(p.name, p.source) for p in projects] == [
        ("Sandbox", ProjectSource.SANDBOX),
        ("Environment", ProjectSource.ENVIRONMENT),
        ("prod", ProjectSource.LK_CLI),
        ("staging", ProjectSource.LK_CLI),
        ("mine", ProjectSource.SAVED),
    ]
    mine = find_project(projects, "MINE")
    assert mine is not None and mine.api_secret == "minesecretminesecret"


def test_saved_secret_lives_in_the_keyring_not_in_the_file(tmp_path: Path, secret_service: SecretService) -> None:
    store = SecretStore()
    assert store.persistent
    saved = SavedProjects(store, folder=tmp_path)
    assert saved.save("prod", "https://prod", "APIkey", "topsecretvalue123") is True
    assert "topsecretvalue123" not in saved.path.read_text()
    assert json.loads(saved.path.read_text()) == {
        "projects": [{"name": "prod", "url": "https://prod", "api_key": "APIkey"}]
    }
    assert keyring.get_password("ingress-studio", "prod:APIkey") == "topsecretvalue123"
    # a new process (new store) reads it back from the keyring
    [loaded] = SavedProjects(SecretStore(), folder=tmp_path).load()
    assert loaded.api_secret == "topsecretvalue123"
    saved.remove("prod")
    assert saved.load() == []
    assert keyring.get_password("ingress-studio", "prod:APIkey") is None


def test_without_a_keyring_the_secret_is_kept_for_the_session_only(tmp_path: Path) -> None:
    store = SecretStore(backend=fail.Keyring())
    assert not store.persistent
    assert "kept for this session only" in NO_KEYRING_MESSAGE
    saved = SavedProjects(store, folder=tmp_path)
    assert saved.save("p", "https://p", "k", "sessiononlysecret") is False
    assert saved.load()[0].api_secret == "sessiononlysecret"
    assert "sessiononlysecret" not in saved.path.read_text()
    # another session knows the project but not its secret
    assert SavedProjects(SecretStore(backend=fail.Keyring()), folder=tmp_path).load()[0].api_secret is None


def test_broken_lk_config_does_not_hide_other_projects(tmp_path: Path) -> None:
    lk = tmp_path / "cli-config.yaml"
    lk.write_text("projects: [unclosed")
    projects = all_projects(SavedProjects(SecretStore(), folder=tmp_path), environ={}, lk_config=lk)
    assert [p.name for p in projects] == ["Sandbox"]


def test_file_and_null_backends_are_never_trusted_with_a_secret() -> None:
    for backend in (PlaintextKeyring(), null.Keyring(), fail.Keyring()):
        assert encrypting_backend(backend) is None, backend
        assert not SecretStore(backend=backend).persistent


def test_a_chainer_is_used_through_its_encrypting_member_only(secret_service: SecretService) -> None:
    offered = keyring.get_keyring()
    assert isinstance(offered, chainer.ChainerBackend)  # Secret Service first, keyrings.alt's files behind it
    members = [type(member).__module__ for member in offered.backends]
    assert members[0] == "keyring.backends.SecretService" and "keyrings.alt.file" in members
    chosen = encrypting_backend(offered)
    assert chosen is not None and type(chosen).__module__ == "keyring.backends.SecretService"


LEGACY_SECRET = "legacy-secret-7c1e5a9b"


def _file_holds(secret: str) -> bool:
    import base64
    import os

    forms = [secret.encode(), base64.b64encode(secret.encode())]
    root = Path(os.environ["XDG_DATA_HOME"])
    return any(form in path.read_bytes() for path in root.rglob("*") if path.is_file() for form in forms)


def test_a_secret_an_earlier_version_left_in_a_file_moves_into_the_keyring(secret_service: SecretService) -> None:
    PlaintextKeyring().set_password(KEYRING_SERVICE, "old:APIold", LEGACY_SECRET)  # as versions before did
    assert _file_holds(LEGACY_SECRET)
    store = SecretStore()
    assert store.get("old", "APIold") == LEGACY_SECRET
    assert not _file_holds(LEGACY_SECRET)
    assert PlaintextKeyring().get_password(KEYRING_SERVICE, "old:APIold") is None
    assert SecretStore().get("old", "APIold") == LEGACY_SECRET  # a new session reads it from the keyring
    store.delete("old", "APIold")


def test_without_a_keyring_such_a_secret_lasts_the_session_and_leaves_the_file() -> None:
    reload_keyring_backends()
    PlaintextKeyring().set_password(KEYRING_SERVICE, "old2:APIold", LEGACY_SECRET)
    store = SecretStore()
    assert not store.persistent
    assert store.get("old2", "APIold") == LEGACY_SECRET
    assert not _file_holds(LEGACY_SECRET)
    assert SecretStore().get("old2", "APIold") is None  # the next session asks for it again
