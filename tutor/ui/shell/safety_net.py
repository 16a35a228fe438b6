"""The last safety net: an error no code expected is logged and said in the window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tutor.i18n.translate import _

if TYPE_CHECKING:
    from tutor.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


def tell_the_learner(window: MainWindow) -> Callable[..., None]:
    """A last safety net for an error no code expected (a write failing in a rarely used
    action): it is logged and said in the notice bar, and the window stays usable, instead
    of a traceback on a terminal the learner never sees."""
    import sqlite3

    from tutor.store.database import storage_problem
    from tutor.store.storage_words import THIS_CHANGE

    def excepthook(kind: type[BaseException], error: BaseException, trace: Any) -> None:
        log.error("unexpected error", exc_info=(kind, error, trace))
        if isinstance(error, sqlite3.Error):
            window.say(storage_problem(error, THIS_CHANGE))
        else:
            window.say(
                _(
                    "Something went wrong ({error}); your conversations are safe. The log "
                    "has the details for a bug report (tutor doctor shows where it is)."
                ).format(error=kind.__name__)
            )

    return excepthook
