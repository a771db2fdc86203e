"""An in-memory keyring for tests, so no test ever reads or writes the real OS keyring."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A secure-looking backend (priority 5) that keeps passwords in a dict.

    ``viable = False`` keeps keyring's own auto-detection from ever choosing it: tests hand
    it to ``BackupKeys`` explicitly.
    """

    priority = 5  # type: ignore[assignment]
    viable = False  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("the test keyring is locked")
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise KeyringLocked("the test keyring is locked")
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None


class ForgetfulKeyring(MemoryKeyring):
    """Accepts a password and silently keeps nothing, as a misconfigured backend might."""

    def set_password(self, service: str, username: str, password: str) -> None:
        pass
