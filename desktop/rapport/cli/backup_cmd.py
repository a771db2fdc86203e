"""``rapport backup now|list|verify|restore|key`` and ``rapport check``: backups from a terminal.

Exit codes follow the command line's convention (0 ok, 2 bad input, 1 anything else):

- 2 when what the user handed us cannot be used: an unknown backup id or path; a backup that
  is damaged, tampered with or truncated (a bad file, like a broken vCard); a wrong or
  missing passphrase or recovery key; ``restore`` without ``--yes`` when nobody can answer.
- 1 when the journal or this machine is the problem: no journal, a journal that fails its
  check (``backup now`` refuses; ``check`` reports and exits 1), a full disk, the journal
  still open in a window during ``restore``.

Secrets never travel as arguments (other users can read those): a passphrase comes from
``RAPPORT_BACKUP_PASSPHRASE`` or a prompt, a recovery key from a prompt or standard input,
and the recovery key is printed only when asked for with ``backup key --show-recovery``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from typing import Any

from rapport.cli.context import Context
from rapport.core import backup_service as bs
from rapport.core.errors import BadInput, RapportError
from rapport.store.backup_format import BackupError
from rapport.store.backups import BackupInfo
from rapport.store.secrets import PASSPHRASE_ENV, BackupKeys


def register(sub: Any) -> None:
    backup = sub.add_parser(
        "backup",
        help="make, list, verify and restore encrypted backups of the journal",
        description="Backups are encrypted, verified right after they are made, and thinned "
        "(by default 12 daily, 10 weekly, 9 monthly). Exit 2 for a bad backup or key.",
    )
    verbs = backup.add_subparsers(dest="verb", metavar="VERB", required=True)

    now = verbs.add_parser("now", help="back up the journal now (checked first, then verified)")
    now.add_argument("--json", action="store_true", help="print the backup as JSON")
    now.set_defaults(func=now_cmd)

    listing = verbs.add_parser("list", help="every backup, newest first")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_cmd)

    verify = verbs.add_parser("verify", help="decrypt and check one backup, or all of them")
    verify.add_argument("backup", metavar="ID|PATH", nargs="?")
    verify.add_argument("--json", action="store_true")
    _recovery_option(verify)
    verify.set_defaults(func=verify_cmd)

    restore = verbs.add_parser(
        "restore", help="replace the journal with a backup (the current one is backed up first)"
    )
    restore.add_argument("backup", metavar="ID|PATH")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.add_argument("--json", action="store_true", help="print the restored backup")
    _recovery_option(restore)
    restore.set_defaults(func=restore_cmd)

    key = verbs.add_parser(
        "key",
        help="where the backup key lives; show or enter the recovery key",
        description="Without options: whether backups use the system keyring or a passphrase. "
        "A passphrase is never stored: give it in RAPPORT_BACKUP_PASSPHRASE or at the prompt.",
    )
    key.add_argument("--json", action="store_true")
    what = key.add_mutually_exclusive_group()
    what.add_argument(
        "--show-recovery",
        action="store_true",
        help="print the recovery key of the keyring's backup key (making the key if needed)",
    )
    what.add_argument(
        "--use-recovery",
        action="store_true",
        help="keep the key behind a recovery key (read from the prompt or standard input) "
        "in this system's keyring, to restore backups made on another machine",
    )
    key.add_argument(
        "--replace", action="store_true", help="with --use-recovery: replace a different key"
    )
    key.set_defaults(func=key_cmd)

    check = sub.add_parser(
        "check",
        help="check the journal (quick_check and foreign_key_check); exit 1 if it fails",
    )
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=check_cmd)


def _recovery_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery-key",
        action="store_true",
        help="read a recovery key (prompt or standard input) for backups made elsewhere",
    )


# --- talking to a person, when there is one ------------------------------------------------


def interactive() -> bool:
    """Someone can answer a prompt (tests replace this)."""
    return sys.stdin.isatty()


def ask_secret(prompt: str) -> str:
    return getpass.getpass(prompt)


def ask_yes(prompt: str) -> bool:
    return input(prompt).strip().lower() in {"y", "yes"}


def _passphrase_once() -> str | None:
    if not interactive():
        return None
    return ask_secret("Backup passphrase: ") or None


def keys() -> BackupKeys:
    """The key for this command: the keyring, else the passphrase (environment or prompt)."""
    return BackupKeys(passphrase=_passphrase_once)


def service(ctx: Context, *, prompting: bool = True) -> bs.BackupService:
    return bs.BackupService(ctx.journal_path, keys() if prompting else BackupKeys())


def _new_passphrase(svc: bs.BackupService) -> None:
    """In passphrase mode with none given yet, a new backup asks twice on a terminal (a typo
    would make every backup unreadable); elsewhere ``back_up`` says what to set."""
    if svc.key_state().mode != "passphrase" or svc.key_available_without_asking():
        return
    if not interactive():
        return
    first = ask_secret("Backup passphrase: ")
    if ask_secret("Repeat it: ") != first:
        raise BadInput("the two passphrases differ; nothing was backed up")
    svc.set_passphrase(first)


def _read_recovery_key(svc: bs.BackupService) -> str:
    text = ask_secret("Recovery key: ") if interactive() else sys.stdin.readline()
    try:
        svc.keys.add_recovery_key(text)
    except BackupError as err:
        raise BadInput(err.message) from None
    return text


def _say_new_key(svc: bs.BackupService) -> None:
    if svc.keys.pop_new_recovery_key() is not None:
        print(
            "rapport: a new backup key was made and kept in the system keyring; save its "
            "recovery key now: rapport backup key --show-recovery",
            file=sys.stderr,
        )


# --- the commands ---------------------------------------------------------------------------


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _line(info: BackupInfo) -> str:
    state = {"good": "verified", "failed": "FAILED", "unverified": "unverified"}[info.state]
    return "\t".join([info.id, _local(info.created), bs.human_size(info.size), state, info.reason])


def _require_journal(ctx: Context) -> None:
    if not ctx.journal_path.is_file():
        raise RapportError(f"{ctx.journal_path}: there is no journal to back up")


def now_cmd(ctx: Context, args: argparse.Namespace) -> int:
    _require_journal(ctx)
    svc = service(ctx)
    _new_passphrase(svc)
    info = svc.back_up(bs.MANUAL)
    _say_new_key(svc)
    if args.json:
        ctx.print_json(info.to_json())
    else:
        print(f"backed up to {info.path} ({bs.human_size(info.size)}, verified)")
    return 0


def list_cmd(ctx: Context, args: argparse.Namespace) -> int:
    infos = service(ctx, prompting=False).list()
    if args.json:
        ctx.print_json([i.to_json() for i in infos])
    elif not infos:
        print("No backups yet. Make one with 'rapport backup now'.")
    else:
        for info in infos:
            print(_line(info).rstrip())
    return 0


def verify_cmd(ctx: Context, args: argparse.Namespace) -> int:
    svc = service(ctx)
    if args.recovery_key:
        _read_recovery_key(svc)
    if args.backup is not None:
        try:
            results = svc.verify(args.backup)
        except bs.BadBackup:
            if args.json:
                ctx.print_json([svc.get(args.backup).to_json()])
            raise
        bad: list[BackupInfo] = []
    else:
        results = svc.verify()
        bad = [i for i in results if not i.verified]
    if args.json:
        ctx.print_json([i.to_json() for i in results])
    else:
        for info in results:
            print(f"{info.id}\t{'ok' if info.verified else 'BAD: ' + (info.error or '')}")
    if bad:
        details = "; ".join(f"{i.id}: {i.error}" for i in bad)
        raise bs.BadBackup(f"{len(bad)} of {len(results)} backups are bad: {details}")
    return 0


def restore_cmd(ctx: Context, args: argparse.Namespace) -> int:
    svc = service(ctx)
    if args.recovery_key:
        _read_recovery_key(svc)
    info = svc.get(args.backup)
    what = f"the backup of {_local(info.created)} ({bs.human_size(info.size)}"
    held = bs.describe_counts(info.counts)
    what += f"; {held})" if held else ")"
    if not args.yes:
        if not interactive():
            raise BadInput(f"restoring replaces the journal: give --yes to restore {info.id}")
        prompt = f"Replace the journal with {what}? The current one is backed up first. [y/N] "
        if not ask_yes(prompt):
            print("Nothing restored.")
            return 0
    restored = svc.restore(info.path)
    _say_new_key(svc)
    ctx.journal()  # reopening migrates a backup of an older schema
    if args.json:
        ctx.print_json(restored.to_json())
    else:
        print(f"restored {what}")
    return 0


def key_cmd(ctx: Context, args: argparse.Namespace) -> int:
    svc = service(ctx, prompting=False)
    state = svc.key_state()
    if args.show_recovery:
        if state.mode != "keyring":
            raise BadInput(
                "backups here use a passphrase (no secure keyring): the passphrase itself "
                "restores them, there is no recovery key"
            )
        try:
            recovery = svc.keys.recovery_key()
        except BackupError as err:
            raise RapportError(err.message) from None
        svc.keys.pop_new_recovery_key()
        print(recovery)
        return 0
    if args.use_recovery:
        text = ask_secret("Recovery key: ") if interactive() else sys.stdin.readline()
        try:
            key_id = svc.keys.adopt_recovery_key(text, replace=args.replace)
        except BackupError as err:
            raise BadInput(err.message) from None
        print(f"the backup key {key_id} is now kept in this system's keyring")
        return 0
    passphrase_set = state.mode == "passphrase" and svc.key_available_without_asking()
    if args.json:
        ctx.print_json(
            {
                "mode": state.mode,
                "backend": state.backend,
                "message": state.message,
                "passphrase_from_environment": passphrase_set,
            }
        )
        return 0
    print(f"mode: {state.mode}")
    print(f"keyring: {state.backend}")
    print(state.message)
    if state.mode == "passphrase":
        print(
            f"{PASSPHRASE_ENV} is {'set' if passphrase_set else 'not set'}; "
            "without it, commands ask for the passphrase on a terminal"
        )
    return 0


def check_cmd(ctx: Context, args: argparse.Namespace) -> int:
    result = bs.check_file(ctx.journal_path)
    if args.json:
        ctx.print_json(result.to_json())
    else:
        print(f"integrity: {result.integrity}")
        print(f"foreign keys: {len(result.foreign_keys) or 'ok'}")
    if not result.ok:
        print(
            f"rapport: the journal failed its check: {bs.describe_check(result)}", file=sys.stderr
        )
        return 1
    return 0


# --- for the commands that do risky work ----------------------------------------------------


def before(ctx: Context, reason: str) -> None:
    """Back up before a risky command (import, merge); a failure is a warning, not a stop."""
    svc = service(ctx, prompting=False)
    attempt = svc.backup_before(reason)
    _say_new_key(svc)
    if attempt.failed:
        print(f"rapport: warning: no backup was made {reason}: {attempt.error}", file=sys.stderr)
