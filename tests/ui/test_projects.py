"""The project picker and dialog on real widgets: every source listed, add/test/edit/remove against a sandbox."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox
from pytestqt.qtbot import QtBot

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.config.lk_cli_config import lk_cli_config_path
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.config.saved_projects import SavedProjects
from ingress_studio.config.secrets import KEYRING_SERVICE, NO_KEYRING_MESSAGE, SecretStore
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.project_dialog import ProjectDialog
from ingress_studio.ui.project_picker import ProjectPicker
from support.sandbox_process import SandboxServer
from support.secret_service import SecretService, reload_keyring_backends
from ui.conftest import Scenario, eventually

LK_CONFIG = (
    "default_project: prod\nprojects:\n"
    "  - name: prod\n    url: wss://prod.example.livekit.cloud\n    api_key: APIprod\n"
    "    api_secret: prodsecretprodsecret\n"
)
STUDIO_KEY = "APIstudio"
STUDIO_SECRET = "studio-secret-7f3a9c21d4e8b6"  # distinctive, so a scan of every file can look for it


@pytest.fixture(scope="module")
def studio_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox with a long, unique secret (the default one, "secret", is a common word in files)."""
    server = SandboxServer(tmp_path_factory.mktemp("studio"), api_key=STUDIO_KEY, api_secret=STUDIO_SECRET).start()
    yield server
    assert server.stop() == 0


def _forget_all(saved: SavedProjects) -> None:
    for project in saved.load():
        saved.remove(project.name)


@pytest.fixture
def saved() -> Iterator[SavedProjects]:
    """The real saved-projects file and keyring of the isolated HOME, emptied before and after."""
    projects = SavedProjects(SecretStore())
    _forget_all(projects)
    yield projects
    _forget_all(projects)


@pytest.fixture
def lk_config() -> Iterator[Path]:
    path = lk_cli_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LK_CONFIG, encoding="utf-8")
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def livekit_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEKIT_URL", "https://env.example.com")
    monkeypatch.setenv("LIVEKIT_API_KEY", "APIenv")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "envsecretenvsecret")


def labels(picker: ProjectPicker) -> list[str]:
    return [picker.combo.itemText(i) for i in range(picker.combo.count())]


def fill(qtbot: QtBot, dialog: ProjectDialog, name: str, url: str, key: str, secret: str) -> None:
    for edit, text in (
        (dialog.name_edit, name),
        (dialog.url_edit, url),
        (dialog.key_edit, key),
        (dialog.secret_edit, secret),
    ):
        edit.clear()
        qtbot.keyClicks(edit, text)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def files_containing(secret: str) -> list[Path]:
    """Every file under HOME and the XDG folders holding the secret, in clear, base64 or hex."""
    forms = [secret.encode(), base64.b64encode(secret.encode()), secret.encode().hex().encode()]
    roots = {Path(os.environ[n]) for n in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")}
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and any(form in path.read_bytes() for form in forms):
                found.append(path)
    return found


def test_picker_lists_every_source_with_its_origin(
    qtbot: QtBot, saved: SavedProjects, lk_config: Path, livekit_env: None
) -> None:
    saved.save("staging", "https://staging.example.com", "APIstg", "stgsecretstgsecret")
    picker = ProjectPicker("http://127.0.0.1:45678", saved=saved)
    qtbot.addWidget(picker)
    assert labels(picker) == ["Sandbox", "Environment — env", "prod — lk", "staging — saved"]
    assert [p.source for p in picker.projects] == [
        ProjectSource.SANDBOX,
        ProjectSource.ENVIRONMENT,
        ProjectSource.LK_CLI,
        ProjectSource.SAVED,
    ]
    sandbox = picker.current_project()
    assert sandbox is not None and sandbox.url == "http://127.0.0.1:45678"
    # Only saved projects can be changed here; the others say why not.
    assert not picker.edit_action.isEnabled() and not picker.remove_action.isEnabled()
    assert "sandbox" in picker.edit_action.toolTip()
    assert picker.select("prod")
    assert not picker.edit_action.isEnabled()
    assert "cli-config.yaml" in picker.edit_action.toolTip()
    assert picker.select("staging")
    assert picker.edit_action.isEnabled() and picker.remove_action.isEnabled()
    assert not picker.select("nowhere")

    # Status dots: the tooltip carries the text, and survives a reload.
    picker.set_status("prod", False, "Cannot connect to wss://prod.example.livekit.cloud.")
    picker.set_status("staging", True, "Connected: 2 ingresses.")
    assert picker.status("prod") == (False, "Cannot connect to wss://prod.example.livekit.cloud.")
    assert picker.combo.itemData(2, Qt.ItemDataRole.ToolTipRole).startswith("Cannot connect")
    assert picker.combo.toolTip() == "Connected: 2 ingresses."
    assert picker.combo.itemData(0, Qt.ItemDataRole.ToolTipRole) == "http://127.0.0.1:45678"  # unknown: the URL
    picker.set_sandbox_url("http://127.0.0.1:45999")
    assert picker.projects[0].url == "http://127.0.0.1:45999"
    current = picker.current_project()
    assert current is not None and current.name == "staging"  # kept across the reload
    assert picker.combo.itemData(3, Qt.ItemDataRole.ToolTipRole) == "Connected: 2 ingresses."

    # A project that vanished from its source leaves the picker on the next reload.
    lk_config.unlink()
    picker.reload()
    assert labels(picker) == ["Sandbox", "Environment — env", "staging — saved"]


def test_project_chosen_only_on_user_selection(qtbot: QtBot, saved: SavedProjects, livekit_env: None) -> None:
    picker = ProjectPicker("http://127.0.0.1:45678", saved=saved)
    qtbot.addWidget(picker)
    picker.show()
    chosen: list[Project] = []
    picker.project_chosen.connect(chosen.append)
    picker.reload()
    picker.set_sandbox_url("http://127.0.0.1:45679")
    assert picker.select("Environment")
    assert chosen == []  # programmatic changes are silent
    assert picker.select("Sandbox")
    with qtbot.waitSignal(picker.project_chosen, timeout=1000):
        qtbot.keyClick(picker.combo, Qt.Key.Key_Down)
    assert [(p.name, p.url, p.source) for p in chosen] == [
        ("Environment", "https://env.example.com", ProjectSource.ENVIRONMENT)
    ]


def test_add_test_edit_and_remove_a_project(
    qtbot: QtBot,
    run_on_qt_loop: Scenario,
    studio_sandbox: SandboxServer,
    secret_service: SecretService,  # before `saved`: its store must see the keyring
    saved: SavedProjects,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    picker = ProjectPicker(studio_sandbox.url, saved=saved)
    qtbot.addWidget(picker)
    picker.show()
    chosen: list[Project] = []
    picker.project_chosen.connect(chosen.append)

    async def add() -> None:
        async with IngressClient(studio_sandbox.project()) as client:
            for name in ("cam-a", "cam-b"):
                await client.create(
                    ingress_pb.CreateIngressRequest(
                        input_type=ingress_pb.RTMP_INPUT, name=name, room_name="studio", participant_identity=name
                    )
                )
        picker.add_action.trigger()
        dialog = picker.dialog
        assert dialog is not None and dialog.isVisible() and not dialog.editing
        fill(qtbot, dialog, "studio", studio_sandbox.url, STUDIO_KEY, STUDIO_SECRET)
        assert dialog.secret_edit.echoMode() == dialog.secret_edit.EchoMode.Password
        dialog.show_secret_box.setChecked(True)
        assert dialog.secret_edit.echoMode() == dialog.secret_edit.EchoMode.Normal
        click(qtbot, dialog.test_button)
        assert not dialog.test_button.isEnabled()  # running in the background, the GUI stays live
        await eventually(lambda: not dialog.test_running, what="connection test")
        assert dialog.test_result_label.text() == "Connected: 2 ingresses."
        assert dialog.test_button.isEnabled()
        click(qtbot, dialog.save_button)
        assert not dialog.isVisible()
        assert picker.dialog is None

    run_on_qt_loop(add())
    assert "studio — saved" in labels(picker)
    current = picker.current_project()
    assert current is not None and current.name == "studio" and current.api_secret == STUDIO_SECRET
    assert [(p.name, p.source) for p in chosen] == [("studio", ProjectSource.SAVED)]
    assert keyring.get_password(KEYRING_SERVICE, f"studio:{STUDIO_KEY}") == STUDIO_SECRET
    assert saved.path.exists() and STUDIO_SECRET not in saved.path.read_text()
    assert files_containing(STUDIO_SECRET) == []
    # A fresh picker (a new session) gets the secret back from the keyring.
    again = ProjectPicker(studio_sandbox.url)
    qtbot.addWidget(again)
    assert again.select("studio")
    reloaded = again.current_project()
    assert reloaded is not None and reloaded.api_secret == STUDIO_SECRET

    async def edit() -> None:
        dialog = picker.edit_project()
        assert dialog is not None and dialog.editing
        assert dialog.name_edit.text() == "studio" and dialog.url_edit.text() == studio_sandbox.url
        assert dialog.key_edit.text() == STUDIO_KEY
        assert dialog.secret_edit.text() == "" and "keep the stored secret" in dialog.secret_edit.placeholderText()
        dialog.name_edit.setText("studio-b")
        click(qtbot, dialog.test_button)  # the empty secret field means the stored secret
        await eventually(lambda: not dialog.test_running, what="connection test")
        assert dialog.test_result_label.text() == "Connected: 2 ingresses."
        click(qtbot, dialog.save_button)
        assert not dialog.isVisible()

    run_on_qt_loop(edit())
    assert "studio-b — saved" in labels(picker) and "studio — saved" not in labels(picker)
    assert chosen[-1].name == "studio-b" and chosen[-1].api_secret == STUDIO_SECRET
    assert keyring.get_password(KEYRING_SERVICE, f"studio-b:{STUDIO_KEY}") == STUDIO_SECRET
    assert keyring.get_password(KEYRING_SERVICE, f"studio:{STUDIO_KEY}") is None
    assert files_containing(STUDIO_SECRET) == []

    # Saying No keeps it; Yes removes it and its secret, and falls back to the sandbox.
    box = picker.remove_project()
    assert box is not None and "studio-b" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert "studio-b — saved" in labels(picker)
    box = picker.remove_project()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    assert "studio-b — saved" not in labels(picker)
    assert saved.load() == []
    assert keyring.get_password(KEYRING_SERVICE, f"studio-b:{STUDIO_KEY}") is None
    assert chosen[-1].source == ProjectSource.SANDBOX
    current = picker.current_project()
    assert current is not None and current.source == ProjectSource.SANDBOX


def test_wrong_secret_shows_the_api_error_sentence(
    qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer, saved: SavedProjects
) -> None:
    dialog = ProjectDialog(saved)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(qtbot, dialog, "wrong", sandbox.url, sandbox.api_key, "not-the-right-secret")

    async def scenario() -> str:
        try:
            async with IngressClient(sandbox.project(secret="not-the-right-secret")) as client:
                await client.list()
        except ApiError as exc:
            expected = exc.message
        else:
            raise AssertionError("the wrong secret was accepted")
        click(qtbot, dialog.test_button)
        await eventually(lambda: not dialog.test_running, what="connection test")
        assert dialog.test_result_label.text() == expected
        return expected

    message = run_on_qt_loop(scenario())
    assert "rejected the API key or secret" in message and "\n" not in message
    # Nothing typed is lost, and nothing was saved.
    assert dialog.secret_edit.text() == "not-the-right-secret" and dialog.name_edit.text() == "wrong"
    assert saved.load() == []


def test_validation_messages_keep_what_was_typed(qtbot: QtBot, saved: SavedProjects) -> None:
    saved.save("staging", "https://staging.example.com", "APIstg", "stgsecretstgsecret")
    picker = ProjectPicker(saved=saved)
    qtbot.addWidget(picker)
    dialog = picker.add_project()

    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.name_error.text() == "Enter a name for the project."
    assert dialog.url_error.text().startswith("Enter the server URL")
    assert dialog.key_error.text() == "Enter the API key."
    assert dialog.secret_error.text() == "Enter the API secret."
    assert all(label.isVisible() for label in (dialog.name_error, dialog.url_error, dialog.key_error))

    # After a failed Save, messages follow the typing.
    qtbot.keyClicks(dialog.url_edit, "ftp://media.example.com")
    assert dialog.url_error.text() == "The URL must start with http://, https://, ws:// or wss://."
    dialog.url_edit.setText("wss://")
    assert "needs a host name" in dialog.url_error.text()
    dialog.url_edit.setText("wss://media.example.com")
    assert not dialog.url_error.isVisible()
    qtbot.keyClicks(dialog.name_edit, "STAGING")
    assert "already called “STAGING”" in dialog.name_error.text()
    dialog.name_edit.setText("Sandbox")
    assert "already the name of another project" in dialog.name_error.text()
    dialog.name_edit.setText("media")
    assert not dialog.name_error.isVisible()
    qtbot.keyClicks(dialog.key_edit, "APImedia")
    assert not dialog.key_error.isVisible() and dialog.secret_error.isVisible()

    click(qtbot, dialog.test_button)  # refuses to test with fields missing, without a network call
    assert not dialog.test_running and "Fix the fields" in dialog.test_result_label.text()
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and saved.load()[0].name == "staging" and len(saved.load()) == 1
    assert (dialog.name_edit.text(), dialog.url_edit.text(), dialog.key_edit.text()) == (
        "media",
        "wss://media.example.com",
        "APImedia",
    )
    qtbot.keyClicks(dialog.secret_edit, "mediasecretmediasecret")
    assert not dialog.secret_error.isVisible()
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert "media — saved" in labels(picker)


def test_without_a_keyring_the_secret_is_kept_for_the_session(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = SavedProjects(SecretStore(backend=fail.Keyring()), folder=tmp_path)
    picker = ProjectPicker(saved=saved)
    qtbot.addWidget(picker)
    dialog = picker.add_project()
    fill(qtbot, dialog, "laptop", "https://laptop.example.com", "APIlaptop", "laptopsecretlaptop")
    click(qtbot, dialog.save_button)
    notices = [box.text() for box in picker.findChildren(QMessageBox)]
    assert notices == [NO_KEYRING_MESSAGE]
    current = picker.current_project()
    assert current is not None and current.name == "laptop" and current.api_secret == "laptopsecretlaptop"
    assert "laptopsecretlaptop" not in saved.path.read_text()
    # Said once a session: the next save does not ask again.
    dialog = picker.add_project()
    fill(qtbot, dialog, "desk", "https://desk.example.com", "APIdesk", "desksecretdesksecret")
    click(qtbot, dialog.save_button)
    assert [box.text() for box in picker.findChildren(QMessageBox)] == [NO_KEYRING_MESSAGE]


def test_with_only_keyrings_alt_the_secret_stays_in_memory_and_no_file_holds_it(
    qtbot: QtBot, run_on_qt_loop: Scenario, studio_sandbox: SandboxServer
) -> None:
    """keyrings.alt is installed and no Secret Service runs: keyring itself would pick a base64 file."""
    reload_keyring_backends()
    assert type(keyring.get_keyring()).__module__ == "keyrings.alt.file"
    saved = SavedProjects(SecretStore())
    _forget_all(saved)
    picker = ProjectPicker(studio_sandbox.url, saved=saved)
    qtbot.addWidget(picker)
    dialog = picker.add_project()
    fill(qtbot, dialog, "studio-nokeyring", studio_sandbox.url, STUDIO_KEY, STUDIO_SECRET)

    async def test_and_save() -> None:
        click(qtbot, dialog.test_button)
        await eventually(lambda: not dialog.test_running, what="connection test")
        assert dialog.test_result_label.text().startswith("Connected")
        click(qtbot, dialog.save_button)

    run_on_qt_loop(test_and_save())
    assert [box.text() for box in picker.findChildren(QMessageBox)] == [NO_KEYRING_MESSAGE]
    current = picker.current_project()
    assert current is not None and current.api_secret == STUDIO_SECRET  # usable for this session
    assert files_containing(STUDIO_SECRET) == []
    # the next session knows the project, not its secret
    [reloaded] = [p for p in SavedProjects(SecretStore()).load() if p.name == "studio-nokeyring"]
    assert reloaded.api_secret is None
    _forget_all(saved)


def test_a_saved_project_that_cannot_connect_offers_edit_and_recovers(
    qtbot: QtBot, run_on_qt_loop: Scenario, studio_sandbox: SandboxServer, saved: SavedProjects
) -> None:
    saved.save("studio-typo", studio_sandbox.url, STUDIO_KEY, "a-mistyped-secret-value")
    picker = ProjectPicker(studio_sandbox.url, saved=saved)
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_project_picker(picker)
    picker.project_chosen.connect(window.connect_project)
    window.show()

    async def scenario() -> None:
        assert picker.select("studio-typo")
        project = picker.current_project()
        assert project is not None
        window.connect_project(project)
        await eventually(window.problem.isVisible, what="the failure in the table's place")
        assert "rejected the API key or secret" in window.problem.sentence.text()
        assert window.problem.edit_button.isVisible() and not window.problem.note.isVisible()
        click(qtbot, window.problem.edit_button)
        dialog = picker.dialog
        assert dialog is not None and dialog.editing and dialog.name_edit.text() == "studio-typo"
        qtbot.keyClicks(dialog.secret_edit, STUDIO_SECRET)
        click(qtbot, dialog.save_button)
        await eventually(window.new_actions[ingress_pb.RTMP_INPUT].isEnabled, what="listed with the new secret")
        assert not window.problem.isVisible()
        assert window.project is not None and window.project.api_secret == STUDIO_SECRET
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_an_lk_project_that_cannot_connect_says_where_to_fix_it(
    qtbot: QtBot, run_on_qt_loop: Scenario, saved: SavedProjects, lk_config: Path
) -> None:
    picker = ProjectPicker(saved=saved)
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_project_picker(picker)
    window.show()

    async def scenario() -> None:
        assert picker.select("prod")
        project = picker.current_project()
        assert project is not None
        # a closed loopback port: the lk project's own host does not exist here
        window.connect_project(Project("prod", "http://127.0.0.1:9", "APIprod", "x" * 20, ProjectSource.LK_CLI))
        await eventually(window.problem.isVisible, what="the failure in the table's place")
        assert window.problem.sentence.text().startswith("Cannot connect to http://127.0.0.1:9")
        assert not window.problem.edit_button.isVisible()
        assert "cli-config.yaml" in window.problem.note.text()
        await window.shutdown()

    run_on_qt_loop(scenario())
