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

# The OS keyrings that keep secrets encrypted. Anything else — keyrings.alt's file backends (base64 or
# plain text in a file), the null and fail backends, unknown third-party ones — is not trusted with a secret.
ENCRYPTING_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",  # GNOME Keyring, KWallet 5.97+, KeePassXC (Secret Service)
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",  # the login Keychain
        "keyring.backends.Windows.WinVaultKeyring",  # Credential Manager
    }
)


def _qualified_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend whose service is missing raises from its priority
        return 0.0


def encrypting_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The keyring to use: the backend itself if it encrypts, else the best encrypting member of a chainer.

    Never the chainer itself: when its first member fails a write, it falls through to the next one, which
    may be a plain-text file.
    """
    members = list(getattr(backend, "backends", None) or [backend])
    usable = [m for m in members if _qualified_name(m) in ENCRYPTING_BACKENDS and _priority(m) > 0]
    return max(usable, key=_priority) if usable else None


class SecretStore:
    """Stores secrets under (project name, API key); never writes them anywhere in clear."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        offered = backend if backend is not None else keyring.get_keyring()
        chosen = encrypting_backend(offered)
        self._backend: KeyringBackend = chosen if chosen is not None else offered
        self._session_only: dict[str, str] = {}
        self.persistent = chosen is not None
        if chosen is None:
            log.info("no encrypting keyring backend (offered: %s)", _qualified_name(offered))
        else:
            log.info("secrets go to %s", _qualified_name(chosen))

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
        except Exception as exc:  # KeyringError, or the D-Bus library's own when the daemon went away
            log.warning("keyring read failed: %s: %s", type(exc).__name__, exc)
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
            except Exception as exc:
                log.warning(
                    "keyring write failed, keeping the secret for this session: %s: %s", type(exc).__name__, exc
                )
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
            except Exception as exc:
                log.warning("keyring delete failed: %s: %s", type(exc).__name__, exc)
