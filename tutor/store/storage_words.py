"""Why something could not be saved in the conversation file, in words for the learner,
in the interface language.

Each sentence names what was lost whole ("the reply could not be saved"), so a
translation never builds it from a fragment: `storage_problem` takes what was being
saved as one of the phrases below (in English or as `_()` translated it), and only a
phrase it does not know falls back to the general sentences.
"""

from __future__ import annotations

import sqlite3
from enum import Enum, auto

from tutor.i18n.translate import N_, _

THIS_MESSAGE = N_("this message")
A_NEW_SESSION = N_("a new session")
THE_REPLY = N_("the reply")
THIS_CHANGE = N_("this change")
SAVED_THINGS = (THIS_MESSAGE, A_NEW_SESSION, THE_REPLY, THIS_CHANGE)
"""What a caller may say it was saving."""

CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


class _Fault(Enum):
    FULL = auto()
    READ_ONLY = auto()
    BUSY = auto()
    DAMAGED = auto()
    OTHER = auto()


def storage_problem(error: sqlite3.Error, what: str = THIS_MESSAGE) -> str:
    """Why `what` could not be saved (a failed write), in words for the learner."""
    fault = _fault(error)
    saved = next((s for s in SAVED_THINGS if what in (s, _(s))), None)
    if saved is None:
        return _general(fault, what, error)
    return _sentences(saved, fault).format(error=error)


def _fault(error: sqlite3.Error) -> _Fault:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return _Fault.FULL
    if code == sqlite3.SQLITE_READONLY:
        return _Fault.READ_ONLY
    if code == sqlite3.SQLITE_BUSY:
        return _Fault.BUSY
    if code in CORRUPTION_CODES:
        return _Fault.DAMAGED
    return _Fault.OTHER


def _sentences(saved: str, fault: _Fault) -> str:
    """The sentence for `saved` and `fault`, translated now; {error} is SQLite's own words."""
    # Translators: "read-only" and "damaged" describe the file that holds every
    # conversation; {error} is SQLite's own words, in English.
    table = {
        THIS_MESSAGE: {
            _Fault.FULL: _(
                "Your disk is full: this message could not be saved. Free some space, "
                "then try again."
            ),
            _Fault.READ_ONLY: _(
                "Your conversation file is read-only, so this message cannot be saved: "
                "your sessions can be read, not continued. Make the file and its folder "
                "writable, then start Tutor again."
            ),
            _Fault.BUSY: _(
                "Another program is holding your conversation file, so this message could "
                "not be saved. Try again in a moment."
            ),
            _Fault.DAMAGED: _(
                "Your conversation file is damaged, so this message could not be saved. "
                "Start Tutor again: it will offer to set the damaged file aside."
            ),
            _Fault.OTHER: _("This message could not be saved ({error}). Try again."),
        },
        A_NEW_SESSION: {
            _Fault.FULL: _(
                "Your disk is full: a new session could not be saved. Free some space, "
                "then try again."
            ),
            _Fault.READ_ONLY: _(
                "Your conversation file is read-only, so a new session cannot be saved: "
                "your sessions can be read, not continued. Make the file and its folder "
                "writable, then start Tutor again."
            ),
            _Fault.BUSY: _(
                "Another program is holding your conversation file, so a new session "
                "could not be saved. Try again in a moment."
            ),
            _Fault.DAMAGED: _(
                "Your conversation file is damaged, so a new session could not be saved. "
                "Start Tutor again: it will offer to set the damaged file aside."
            ),
            _Fault.OTHER: _("A new session could not be saved ({error}). Try again."),
        },
        THE_REPLY: {
            _Fault.FULL: _(
                "Your disk is full: the reply could not be saved. Free some space, then try again."
            ),
            _Fault.READ_ONLY: _(
                "Your conversation file is read-only, so the reply cannot be saved: your "
                "sessions can be read, not continued. Make the file and its folder "
                "writable, then start Tutor again."
            ),
            _Fault.BUSY: _(
                "Another program is holding your conversation file, so the reply could "
                "not be saved. Try again in a moment."
            ),
            _Fault.DAMAGED: _(
                "Your conversation file is damaged, so the reply could not be saved. "
                "Start Tutor again: it will offer to set the damaged file aside."
            ),
            _Fault.OTHER: _("The reply could not be saved ({error}). Try again."),
        },
        THIS_CHANGE: {
            _Fault.FULL: _(
                "Your disk is full: this change could not be saved. Free some space, then "
                "try again."
            ),
            _Fault.READ_ONLY: _(
                "Your conversation file is read-only, so this change cannot be saved: "
                "your sessions can be read, not continued. Make the file and its folder "
                "writable, then start Tutor again."
            ),
            _Fault.BUSY: _(
                "Another program is holding your conversation file, so this change could "
                "not be saved. Try again in a moment."
            ),
            _Fault.DAMAGED: _(
                "Your conversation file is damaged, so this change could not be saved. "
                "Start Tutor again: it will offer to set the damaged file aside."
            ),
            _Fault.OTHER: _("This change could not be saved ({error}). Try again."),
        },
    }
    return table[saved][fault]


def _general(fault: _Fault, what: str, error: sqlite3.Error) -> str:
    """For something other than SAVED_THINGS: the fault, and what was lost in a sentence
    of its own."""
    lost = _("Not saved: {what}.").format(what=what)
    reason = {
        _Fault.FULL: _("Your disk is full. Free some space, then try again."),
        _Fault.READ_ONLY: _(
            "Your conversation file is read-only: your sessions can be read, not "
            "continued. Make the file and its folder writable, then start Tutor again."
        ),
        _Fault.BUSY: _("Another program is holding your conversation file. Try again in a moment."),
        _Fault.DAMAGED: _(
            "Your conversation file is damaged. Start Tutor again: it will offer to set "
            "the damaged file aside."
        ),
        _Fault.OTHER: _("The conversation file refused it ({error}). Try again.").format(
            error=error
        ),
    }[fault]
    # Translators: two sentences one after the other (written without a space
    # between them in Chinese and Japanese).
    return _("{sentence} {next_sentence}").format(sentence=reason, next_sentence=lost)
