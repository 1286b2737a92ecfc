"""API secrets in the OS keyring; with no usable keyring, kept in memory for this session only."""

from __future__ import annotations

import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from ingress_studio.redaction import register_secret

log = logging.getLogger(__name__)

KEYRING_SERVICE = "ingress-studio"
NO_KEYRING_MESSAGE = (
    "No system keyring is available, so the API secret is kept for this session only; "
    "install and unlock a keyring (e.g. GNOME Keyring or KWallet) to have it remembered."
)


def _is_usable(backend: KeyringBackend) -> bool:
    # keyring's fail/null backends have priority 0 or less; the chainer reports its best member.
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


class SecretStore:
    """Stores secrets under (project name, API key); never writes them anywhere in clear."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._session_only: dict[str, str] = {}
        self.persistent = _is_usable(self._backend)
        if not self.persistent:
            log.warning("no usable keyring backend (%s)", type(self._backend).__name__)

    @staticmethod
    def _account(project_name: str, api_key: str) -> str:
        return f"{project_name}:{api_key}"

    def get(self, project_name: str, api_key: str) -> str | None:
        account = self._account(project_name, api_key)
        if account in self._session_only:
            return self._session_only[account]
        if not self.persistent:
            return None
        try:
            value = self._backend.get_password(KEYRING_SERVICE, account)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring read failed: %s", exc)
            return None
        register_secret(value)
        return value

    def set(self, project_name: str, api_key: str, secret: str) -> bool:
        """Store the secret. Returns False when it could only be kept for this session."""
        register_secret(secret)
        account = self._account(project_name, api_key)
        if self.persistent:
            try:
                self._backend.set_password(KEYRING_SERVICE, account, secret)
                self._session_only.pop(account, None)
                return True
            except keyring.errors.KeyringError as exc:
                log.warning("keyring write failed, keeping the secret for this session: %s", exc)
        self._session_only[account] = secret
        return False

    def delete(self, project_name: str, api_key: str) -> None:
        account = self._account(project_name, api_key)
        self._session_only.pop(account, None)
        if self.persistent:
            try:
                self._backend.delete_password(KEYRING_SERVICE, account)
            except keyring.errors.PasswordDeleteError:
                log.debug("no stored secret to delete for %s", project_name)
            except keyring.errors.KeyringError as exc:
                log.warning("keyring delete failed: %s", exc)
