"""API secrets in the OS keyring; with no usable keyring, kept in memory for this session only."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ingress_studio.redaction import register_secret

if TYPE_CHECKING:  # keyring itself loads on first use: finding its backends costs the window's start 0.15 s
    from keyring.backend import KeyringBackend

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
    usable = [m for m in _members(backend) if _qualified_name(m) in ENCRYPTING_BACKENDS and _priority(m) > 0]
    return max(usable, key=_priority) if usable else None


def _members(backend: KeyringBackend) -> list[KeyringBackend]:
    return list(getattr(backend, "backends", None) or [backend])


def _clear_text_backends(backend: KeyringBackend) -> list[KeyringBackend]:
    """keyrings.alt's file backends on offer: where versions before this one may have left a secret."""
    return [m for m in _members(backend) if type(m).__module__.startswith("keyrings.alt") and _priority(m) > 0]


class SecretStore:
    """Stores secrets under (project name, API key) in an encrypting keyring, or for this session only;
    never anywhere in clear. A secret an earlier version left in a plain-text keyring file is moved into
    the encrypting keyring when it is first read (or, with none, kept for the session) and removed from
    the file."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._offered = backend
        self._chosen = False
        self._backend: KeyringBackend | None = None
        self._clear_text: list[KeyringBackend] = []
        self._session_only: dict[str, str] = {}

    def _choose(self) -> KeyringBackend | None:
        """The encrypting backend, found when a secret is first needed (keyring asks D-Bus or the OS then)."""
        if not self._chosen:
            self._chosen = True
            offered = self._offered
            if offered is None:
                import keyring

                offered = keyring.get_keyring()
            self._backend = encrypting_backend(offered)
            self._clear_text = _clear_text_backends(offered)
            if self._backend is None:
                log.info("no encrypting keyring backend (offered: %s)", _qualified_name(offered))
            else:
                log.info("secrets go to %s", _qualified_name(self._backend))
        return self._backend

    @property
    def persistent(self) -> bool:
        """Secrets outlive the session: an encrypting keyring is there."""
        return self._choose() is not None

    @staticmethod
    def _account(project_name: str, api_key: str) -> str:
        return f"{project_name}:{api_key}"

    def get(self, project_name: str, api_key: str) -> str | None:
        account = self._account(project_name, api_key)
        if account in self._session_only:
            return self._session_only[account]
        value = None
        backend = self._choose()
        if backend is not None:
            try:
                value = backend.get_password(KEYRING_SERVICE, account)
            except Exception as exc:  # KeyringError, or the D-Bus library's own when the daemon went away
                log.warning("keyring read failed: %s: %s", type(exc).__name__, exc)
                return None
        if value is None:
            value = self._take_from_clear_text(project_name, api_key)
        register_secret(value)
        return value

    def _take_from_clear_text(self, project_name: str, api_key: str) -> str | None:
        account = self._account(project_name, api_key)
        for backend in self._clear_text:
            try:
                value = backend.get_password(KEYRING_SERVICE, account)
            except Exception as exc:
                log.info("reading %s failed: %s", _qualified_name(backend), exc)
                continue
            if value is None:
                continue
            kept = self.set(project_name, api_key, value)
            self._delete_from(backend, account)
            log.warning(
                "the secret of project %s was in a plain-text keyring file: %s, and removed from the file",
                project_name,
                "moved into the keyring" if kept else "kept for this session only",
            )
            return value
        return None

    def set(self, project_name: str, api_key: str, secret: str) -> bool:
        """Store the secret. Returns False when it could only be kept for this session."""
        register_secret(secret)
        account = self._account(project_name, api_key)
        backend = self._choose()
        if backend is not None:
            try:
                backend.set_password(KEYRING_SERVICE, account, secret)
                self._session_only.pop(account, None)
                return True
            except Exception as exc:
                log.warning("keyring write failed; kept for this session only: %s: %s", type(exc).__name__, exc)
        self._session_only[account] = secret
        return False

    def delete(self, project_name: str, api_key: str) -> None:
        account = self._account(project_name, api_key)
        self._session_only.pop(account, None)
        chosen = self._choose()
        for backend in [*([chosen] if chosen is not None else []), *self._clear_text]:
            self._delete_from(backend, account)

    @staticmethod
    def _delete_from(backend: KeyringBackend, account: str) -> None:
        from keyring.errors import PasswordDeleteError  # loaded already: the backend came from keyring

        try:
            backend.delete_password(KEYRING_SERVICE, account)
        except PasswordDeleteError:
            log.debug("no stored secret to delete in %s", _qualified_name(backend))
        except Exception as exc:
            log.warning("keyring delete failed: %s: %s", type(exc).__name__, exc)
