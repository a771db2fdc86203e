"""Where the backup key lives: the OS keyring if it is a secure one, else the user's passphrase.

The key is a random 256-bit master key kept in the system keyring (Keychain, Windows
Credential Locker, Secret Service, KWallet). Plaintext, null and failing backends are refused.
Where no secure keyring exists (a headless Linux box) the master key is derived from a
passphrase with scrypt, whose parameters go into each backup header so any machine can
re-derive it. A recovery key (the master key in typable groups with a checksum) lets a new
machine with an empty keyring restore. Nothing secret is ever written anywhere else.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import keyring
import keyring.errors
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend

from rapport.store.backup_format import (
    KEY_SIZE,
    RAW_KEY,
    BackupError,
    BackupHeader,
    Kdf,
    KeyMismatch,
    key_id_of,
)

PASSPHRASE_ENV = "RAPPORT_BACKUP_PASSPHRASE"  # noqa: S105 (the variable's name, not a secret)
KEYRING_SERVICE = "Rapport"
KEYRING_ACCOUNT = "backup-key"

NO_SECURE_KEYRING = "no secure keyring on this system: backups use your passphrase"


@dataclass(frozen=True)
class ScryptParams:
    log2_n: int
    r: int
    p: int

    @property
    def memory(self) -> int:
        return 128 * self.r * (1 << self.log2_n) * self.p


# N = 2^17, r = 8, p = 1: about 0.46 s and 128 MiB on the 2-core reference machine. The
# parameters travel in each header, so a backup made here decrypts on slower machines too.
DEFAULT_SCRYPT = ScryptParams(log2_n=17, r=8, p=1)
# A header is read before it is authenticated: bound what it may ask us to spend.
MAX_SCRYPT_MEMORY = 1 << 30
MAX_SCRYPT_LOG2_N = 22


@dataclass(frozen=True)
class BackupKey:
    """The key new backups are encrypted with, and how it was made (recorded in the header)."""

    key: bytes
    key_id: str
    kdf: Kdf = RAW_KEY


@dataclass(frozen=True)
class KeyState:
    """What the Backups window says about the key."""

    mode: Literal["keyring", "passphrase"]
    backend: str
    message: str
    needs_passphrase: bool = False


class KeyProvider(Protocol):
    """What the backup manager needs: a key to encrypt with, and the key for a given header."""

    def encryption_key(self) -> BackupKey: ...

    def key_for(self, header: BackupHeader) -> bytes: ...


# --- recovery keys ------------------------------------------------------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_CROCKFORD)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
_RECOVERY_CHECK = 3
_RECOVERY_LEN = (KEY_SIZE + _RECOVERY_CHECK) * 8 // 5  # 56 characters, 14 groups of 4


def _recovery_check(key: bytes) -> bytes:
    return hashlib.sha256(b"rapport recovery key\x00" + key).digest()[:_RECOVERY_CHECK]


def recovery_from_key(key: bytes) -> str:
    """The key as 14 groups of 4 letters and digits (Crockford base32, 24-bit checksum)."""
    if len(key) != KEY_SIZE:
        raise ValueError("a backup key is 32 bytes")
    number = int.from_bytes(key + _recovery_check(key), "big")
    chars = [_CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(_RECOVERY_LEN))]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, _RECOVERY_LEN, 4))


def key_from_recovery(text: str) -> bytes:
    """Read a recovery key as typed (any case, spaces or dashes, O for 0, I or L for 1)."""
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_.")
    for ch in cleaned:
        if ch not in _DECODE:
            raise BackupError(f"this is not a recovery key: {ch!r} never appears in one")
    if len(cleaned) != _RECOVERY_LEN:
        raise BackupError(
            f"a recovery key has {_RECOVERY_LEN} letters and digits; this one has {len(cleaned)}"
        )
    number = 0
    for ch in cleaned:
        number = (number << 5) | _DECODE[ch]
    raw = number.to_bytes(KEY_SIZE + _RECOVERY_CHECK, "big")
    key, check = raw[:KEY_SIZE], raw[KEY_SIZE:]
    if _recovery_check(key) != check:
        raise BackupError("this recovery key is mistyped: check each group against your copy")
    return key


# --- passphrases --------------------------------------------------------------------------


def derive_key(passphrase: str, kdf: Kdf) -> bytes:
    """The master key scrypt makes from ``passphrase`` with the salt and params in ``kdf``."""
    if kdf.name != "scrypt":
        raise ValueError("not a passphrase key")
    params = ScryptParams(kdf.log2_n, kdf.r, kdf.p)
    if not (
        0 < kdf.log2_n <= MAX_SCRYPT_LOG2_N
        and kdf.r > 0
        and kdf.p > 0
        and params.memory <= MAX_SCRYPT_MEMORY
    ):
        raise BackupError("the backup asks for passphrase settings too costly to be genuine")
    if not passphrase:
        raise BackupError("the passphrase is empty")
    scrypt = Scrypt(salt=kdf.salt, length=KEY_SIZE, n=kdf.n, r=kdf.r, p=kdf.p)
    return scrypt.derive(passphrase.encode("utf-8"))


def new_scrypt_kdf(params: ScryptParams = DEFAULT_SCRYPT) -> Kdf:
    return Kdf("scrypt", os.urandom(16), params.log2_n, params.r, params.p)


def time_scrypt(params: ScryptParams = DEFAULT_SCRYPT) -> float:
    """Seconds one derivation takes here (for the benchmark and the settings page)."""
    start = time.perf_counter()
    derive_key("timing", new_scrypt_kdf(params))
    return time.perf_counter() - start


# --- keyring backends ---------------------------------------------------------------------

# Backends that keep nothing or keep it in clear text; refused even if someone raised their
# priority through keyring's configuration.
_INSECURE = {
    ("keyring.backends.fail", "Keyring"),
    ("keyring.backends.null", "Keyring"),
    ("keyrings.alt.file", "PlaintextKeyring"),
}


def backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(type(backend).priority)
    except Exception:
        # A backend that cannot tell its priority is not usable here.
        return -1.0


def is_secure_backend(backend: KeyringBackend) -> bool:
    """A real system keyring: priority at least 1 and not a plaintext/null/failing backend."""
    for cls in type(backend).__mro__:
        if (cls.__module__, cls.__qualname__) in _INSECURE:
            return False
    return _priority(backend) >= 1


def choose_secure_backend(backend: KeyringBackend | None = None) -> KeyringBackend | None:
    """The secure keyring to use, or None.

    ``backend`` defaults to keyring's own choice. A chainer is looked through: writing to it
    could land in a plaintext file, so the best secure backend in the chain is used directly.
    """
    chosen = keyring.get_keyring() if backend is None else backend
    candidates: list[KeyringBackend] = list(getattr(chosen, "backends", None) or [chosen])
    secure = [b for b in candidates if is_secure_backend(b)]
    if not secure:
        return None
    return max(secure, key=_priority)


# --- key providers ------------------------------------------------------------------------


class StaticKey:
    """A provider holding one raw key: for tests, and for a restore run with a recovery key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_SIZE:
            raise ValueError("a backup key is 32 bytes")
        self._key = BackupKey(key, key_id_of(key))

    def encryption_key(self) -> BackupKey:
        return self._key

    def key_for(self, header: BackupHeader) -> bytes:
        if header.key_id != self._key.key_id:
            raise _mismatch(header)
        return self._key.key


PassphraseSource = Callable[[], str | None]


class BackupKeys:
    """The backup key of this installation: keyring mode or passphrase mode.

    The mode is decided when this is built: a secure keyring gives keyring mode, anything
    else passphrase mode (with ``NO_SECURE_KEYRING`` as the message to show). The passphrase
    comes from ``set_passphrase`` (the window asks for it), from ``passphrase`` (a string or a
    callback asked on demand) or from ``RAPPORT_BACKUP_PASSPHRASE``; it is never stored.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        passphrase: str | PassphraseSource | None = None,
        environ: Mapping[str, str] | None = None,
        scrypt: ScryptParams = DEFAULT_SCRYPT,
        service: str = KEYRING_SERVICE,
        account: str = KEYRING_ACCOUNT,
    ) -> None:
        env = os.environ if environ is None else environ
        self._passphrase_source: PassphraseSource | None
        if isinstance(passphrase, str):
            self._passphrase: str | None = passphrase
            self._passphrase_source = None
        else:
            self._passphrase = env.get(PASSPHRASE_ENV) or None
            self._passphrase_source = passphrase
        self._scrypt = scrypt
        self._service = service
        self._account = account
        self._known: dict[str, bytes] = {}
        self._session_key: BackupKey | None = None
        self._new_recovery: str | None = None
        self._keyring_problem: str | None = None
        self._backend = choose_secure_backend(backend)
        self._offered = backend

    # -- state --

    @property
    def mode(self) -> Literal["keyring", "passphrase"]:
        return "keyring" if self._backend is not None else "passphrase"

    def state(self) -> KeyState:
        if self._backend is not None:
            name = backend_name(self._backend)
            return KeyState(
                "keyring", name, f"backups are encrypted with a key kept in {_friendly(name)}"
            )
        offered = backend_name(self._offered) if self._offered is not None else _current_name()
        message = self._keyring_problem or NO_SECURE_KEYRING
        needs = self._passphrase is None and self._passphrase_source is None
        if needs:
            message += f"; set a passphrase (or {PASSPHRASE_ENV})"
        return KeyState("passphrase", offered, message, needs_passphrase=needs)

    def set_passphrase(self, passphrase: str) -> None:
        """Use ``passphrase`` for this session (it is kept in memory only)."""
        if not passphrase:
            raise BackupError("the passphrase is empty")
        if passphrase != self._passphrase:
            self._passphrase = passphrase
            if self.mode == "passphrase":
                self._session_key = None

    def _get_passphrase(self) -> str | None:
        if self._passphrase is None and self._passphrase_source is not None:
            given = self._passphrase_source()
            if given:
                self._passphrase = given
        return self._passphrase

    # -- the keyring --

    def _read_keyring(self) -> bytes | None:
        assert self._backend is not None
        try:
            stored = self._backend.get_password(self._service, self._account)
        except keyring.errors.KeyringError as err:
            raise self._keyring_failed(err) from err
        if stored is None:
            return None
        try:
            return key_from_recovery(stored)
        except BackupError:
            raise BackupError(
                f"the backup key in {_friendly(backend_name(self._backend))} is damaged; "
                "enter your recovery key to restore, then make a new key"
            ) from None

    def _write_keyring(self, key: bytes) -> None:
        assert self._backend is not None
        try:
            self._backend.set_password(self._service, self._account, recovery_from_key(key))
        except keyring.errors.KeyringError as err:
            raise self._keyring_failed(err) from err
        if self._read_keyring() != key:
            raise BackupError(
                f"{_friendly(backend_name(self._backend))} did not keep the backup key"
            )

    def _keyring_failed(self, err: Exception) -> BackupError:
        assert self._backend is not None
        return _KeyringFailed(
            f"the system keyring ({_friendly(backend_name(self._backend))}) could not be "
            f"used: {err or type(err).__name__}"
        )

    def pop_new_recovery_key(self) -> str | None:
        """The recovery key of a key made just now, once: the window shows it to be saved."""
        shown, self._new_recovery = self._new_recovery, None
        return shown

    def recovery_key(self) -> str | None:
        """The recovery key for the keyring's key (None in passphrase mode, where the
        passphrase itself is what restores)."""
        if self._backend is None:
            return None
        return recovery_from_key(self.encryption_key().key)

    def adopt_recovery_key(self, text: str, *, replace: bool = False) -> str:
        """Keep the key behind ``text`` in the keyring as this installation's backup key
        (a new machine restoring old backups); return its key id."""
        key = key_from_recovery(text)
        if self._backend is None:
            raise BackupError(NO_SECURE_KEYRING + "; the recovery key can only be used once")
        current = self._read_keyring()
        if current is not None and current != key and not replace:
            raise BackupError(
                "this system already has a different backup key; replace it only if you "
                "have its recovery key saved"
            )
        self._write_keyring(key)
        self._session_key = BackupKey(key, key_id_of(key))
        return self.add_recovery_key(text)

    def add_recovery_key(self, text: str) -> str:
        """Accept ``text`` for reading backups in this session; return its key id."""
        key = key_from_recovery(text)
        kid = key_id_of(key)
        self._known[kid] = key
        return kid

    # -- KeyProvider --

    def encryption_key(self) -> BackupKey:
        if self._session_key is not None:
            return self._session_key
        if self._backend is not None:
            try:
                key = self._read_keyring()
                if key is None:
                    key = os.urandom(KEY_SIZE)
                    self._write_keyring(key)
                    self._new_recovery = recovery_from_key(key)
            except _KeyringFailed as err:
                # A locked or broken keyring: carry on with the passphrase if there is one,
                # and say so; otherwise the user must hear about the keyring.
                if self._get_passphrase() is None:
                    raise
                self._keyring_problem = f"{err.message}: backups use your passphrase"
                self._backend = None
                return self.encryption_key()
            self._session_key = BackupKey(key, key_id_of(key))
        else:
            passphrase = self._get_passphrase()
            if passphrase is None:
                raise BackupError(
                    f"{NO_SECURE_KEYRING}, and none is set: enter one in the Backups window "
                    f"or set {PASSPHRASE_ENV}"
                )
            kdf = new_scrypt_kdf(self._scrypt)
            key = derive_key(passphrase, kdf)
            self._session_key = BackupKey(key, key_id_of(key), kdf)
        self._known[self._session_key.key_id] = self._session_key.key
        return self._session_key

    def key_for(self, header: BackupHeader) -> bytes:
        if header.key_id in self._known:
            return self._known[header.key_id]
        if self._backend is not None:
            stored = self._read_keyring()
            if stored is not None:
                self._known[key_id_of(stored)] = stored
                if key_id_of(stored) == header.key_id:
                    return stored
        if header.kdf.name == "scrypt":
            passphrase = self._get_passphrase()
            if passphrase is None:
                raise KeyMismatch(
                    "this backup was made with a passphrase: enter it to continue",
                    needs="passphrase",
                )
            key = derive_key(passphrase, header.kdf)
            if key_id_of(key) != header.key_id:
                raise KeyMismatch(
                    "wrong passphrase: this backup was made with a different one",
                    needs="passphrase",
                )
            self._known[header.key_id] = key
            return key
        raise _mismatch(header)


class _KeyringFailed(BackupError):
    """The keyring backend raised: locked, no D-Bus session, access refused."""


def _mismatch(header: BackupHeader) -> KeyMismatch:
    if header.kdf.name == "scrypt":
        return KeyMismatch(
            "this backup was made with a passphrase: enter it to continue", needs="passphrase"
        )
    return KeyMismatch(
        f"this backup was made with a different key (key id {header.key_id}): "
        "enter its recovery key",
        needs="recovery_key",
    )


def _current_name() -> str:
    try:
        return backend_name(keyring.get_keyring())
    except Exception:
        return "none"


def _friendly(name: str) -> str:
    known = {
        "keyring.backends.macOS.Keyring": "the macOS Keychain",
        "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
        "keyring.backends.SecretService.Keyring": "the Secret Service keyring",
        "keyring.backends.kwallet.DBusKeyring": "KWallet",
        "keyring.backends.libsecret.Keyring": "the Secret Service keyring",
    }
    return known.get(name, name)
