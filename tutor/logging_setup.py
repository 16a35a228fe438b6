"""The log file, with every known secret replaced before a line is written."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

# Shapes of keys the log must never show even before Tutor has seen them.
_KEY_SHAPES = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9_\-.]{8,})")


class SecretRedactor(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secret: str) -> None:
        if len(secret) >= 4:
            self._secrets.add(secret)

    def redact(self, text: str) -> str:
        # Longest first, so a key that contains another is hidden whole; sorted() also
        # copies the set, which another thread may add to meanwhile.
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "[key hidden]")
        return _KEY_SHAPES.sub("[key hidden]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = self.redact(message), ()
        return True


def configure_logging(log_file: Path, redactor: SecretRedactor) -> None:
    """Log to `log_file` through `redactor`. Called again for the same file (a second
    build after a damaged database was set aside), it replaces the handler it added: the
    old one's redactor would not know this run's keys."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if (
            isinstance(old, logging.handlers.RotatingFileHandler)
            and Path(old.baseFilename) == log_file.resolve()
        ):
            root.removeHandler(old)
            old.close()
    log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    log_file.chmod(0o600)
    handler.addFilter(redactor)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # The HTTP stack logs request details at INFO; keep it to warnings.
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
