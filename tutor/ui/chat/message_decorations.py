"""What features add to a message of the conversation without drawing it themselves.

Voice puts a play link on a reply, help a "Translate" link and the translation beneath
it, the level meter a quiet verdict beside the time. Each is a MessageDecorator the
chat view asks every time it draws a message: the message writer places the answers
(links in the header line, notes beneath the text), so features never reach into the
document, and a feature's change is one `redraw_message` away from showing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tutor.domain.conversation import ChatMessage

ACTION_LINK = "tutor:act/"  # + action name / message id


@dataclass(frozen=True)
class MessageAction:
    """Something said in the message's header line, after the time: a link, or plain
    words with a tooltip (a meter)."""

    name: str
    """Unique per feature ("play", "translate", "simpler", "fit"); a click on the link
    emits ChatView.action_requested(name, message id)."""
    label: str
    """Translated words shown."""
    tooltip: str = ""
    """Translated words on hover (plain text)."""
    link: bool = True


@dataclass(frozen=True)
class MessageNote:
    """A line beneath the message's text, before its status line."""

    text: str
    """Plain text: never markup."""
    kind: str = "note"
    """"note" (quiet, smaller), "problem" (the problem colour), "reading" (a reading aid,
    in the text's own size)."""
    action: str = ""
    """Non-empty: the note is a link that emits action_requested(action, message id)."""


class MessageDecorator(Protocol):
    def actions(self, message: ChatMessage) -> Sequence[MessageAction]: ...

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]: ...


def action_link(name: str, message_id: int) -> str:
    return f"{ACTION_LINK}{name}/{message_id}"


def parse_action_link(link: str) -> tuple[str, int] | None:
    """(action name, message id) of a decoration link, else None."""
    if not link.startswith(ACTION_LINK):
        return None
    name, _slash, message_id = link[len(ACTION_LINK) :].rpartition("/")
    if not name or not message_id.isdigit():
        return None
    return name, int(message_id)


def text_units(text: str, offset: int) -> int:
    """How many UTF-16 code units the first `offset` characters of `text` take: a
    QTextDocument counts positions in UTF-16 units, Python strings in code points, and
    an emoji before a word would otherwise shift every highlight after it."""
    head = text[:offset]
    return offset + sum(1 for c in head if ord(c) > 0xFFFF)


def text_offset(text: str, units: int) -> int:
    """The character offset in `text` at `units` UTF-16 code units (text_units' inverse)."""
    counted = 0
    for index, char in enumerate(text):
        if counted >= units:
            return index
        counted += 2 if ord(char) > 0xFFFF else 1
    return len(text)
