"""What every command gets: the chosen data dir, the journal (opened on first use), output."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapport.core.backup_service import secure_after_open
from rapport.core.errors import RapportError
from rapport.store import location
from rapport.store.journal import Journal, JournalError, open_journal
from rapport.store.migrations import SchemaTooNew


@dataclass
class Context:
    data_dir: Path
    demo: bool = False
    _journal: Journal | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        return cls(data_dir=location.data_dir(args.data_dir), demo=bool(args.demo))

    @property
    def journal_path(self) -> Path:
        return location.journal_path(self.data_dir, demo=self.demo)

    def journal(self) -> Journal:
        if self._journal is None:
            try:
                self._journal = open_journal(self.journal_path)
            except (JournalError, SchemaTooNew) as exc:
                raise RapportError(str(exc)) from exc
            note = secure_after_open(self._journal)  # a migration's plain copy, encrypted
            if note:
                print(f"rapport: warning: {note}", file=sys.stderr)
            if self.demo:
                from rapport.core.sample import ensure_sample_journal

                ensure_sample_journal()
        return self._journal

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    @staticmethod
    def print_json(value: Any) -> None:
        json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
