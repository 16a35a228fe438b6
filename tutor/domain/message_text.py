"""The learner's text as Tutor stores and sends it: cleaned of what a model would read
but the learner cannot see, at most MAX_MESSAGE_CHARS long, and the words for a refusal
or for what cleaning took out.

Pure and fast (str.translate and compiled patterns): it runs on the GUI thread between
Enter and the request, where a 1 MB paste must not hold up the window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.i18n.formats import format_number
from tutor.i18n.translate import N_, _, ngettext

MAX_MESSAGE_CHARS = 8000
"""The longest message Tutor sends, in characters (code points)."""

NOTHING_VISIBLE = N_(
    "That message has nothing visible in it (only spaces or invisible characters), "
    "so nothing was sent."
)

# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) change the order
# in which text is shown, not the order in which it is stored. Left in, the learner would
# see one sentence on screen while the partner and the coach read the characters in
# another order, and the coach's marks would land on words that look different. Tutor
# sets each message's direction itself, so they are taken out. LRM, RLM and ALM only
# nudge neutral characters (Arabic or Hebrew text mixed with numbers needs them): they
# stay, as do the zero-width joiner and non-joiner that emoji and Persian need.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 and C1 controls (NUL, ESC, backspace, ...) except tab and newline: they do not show,
# SQLite and JSON carry them, and a model reads them as something the learner did not
# see. U+FEFF is a stray byte order mark from a pasted file.
_CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n")
_REMOVE = str.maketrans(dict.fromkeys(_CONTROLS + _BIDI_CONTROLS + "\ufeff"))
_SURROGATE = re.compile("[\ud800-\udfff]")
# Tag characters draw nothing, yet a model reads them as ASCII ("ASCII smuggling"): an
# instruction hidden in a pasted text. Only a subdivision flag (England: U+1F3F4 and tags)
# uses them legitimately, so a run of tags is kept right after U+1F3F4 only.
_TAGS = re.compile("(\U0001f3f4?)([\U000e0020-\U000e007f]+)")
# Anything but white space and the characters that draw nothing (soft hyphen, zero-width
# space and joiners, direction marks, word joiner, Hangul fillers, ...).
_VISIBLE = re.compile(
    "[^\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u2060-\u2064\u3164\uffa0\ufe00-\ufe0f]"
)


@dataclass(frozen=True)
class CleanedText:
    text: str
    removed: int
    """Control, bidi and tag characters taken out."""
    replaced: int
    """Halves of surrogate pairs without their other half, replaced by U+FFFD."""

    @property
    def has_visible(self) -> bool:
        return _VISIBLE.search(self.text) is not None

    def note(self) -> str | None:
        """What cleaning changed, in words for the learner; None when nothing."""
        removed = ngettext(
            "Tutor took out {count} invisible control character (it could change how the "
            "text reads) before sending your message.",
            "Tutor took out {count} invisible control characters (they could change how the "
            "text reads) before sending your message.",
            self.removed,
        ).format(count=format_number(self.removed))
        if not self.replaced:
            return removed if self.removed else None
        replaced = format_number(self.replaced)
        if not self.removed:
            return ngettext(
                "Tutor replaced {count} broken character with � before sending your message.",
                "Tutor replaced {count} broken characters with � before sending your message.",
                self.replaced,
            ).format(count=replaced)
        also = ngettext(
            "It also replaced {count} broken character with �.",
            "It also replaced {count} broken characters with �.",
            self.replaced,
        ).format(count=replaced)
        # Translators: two sentences one after the other (written without a space
        # between them in Chinese and Japanese).
        return _("{sentence} {next_sentence}").format(sentence=removed, next_sentence=also)


def clean_message_text(text: str) -> CleanedText:
    """The learner's text as Tutor stores and sends it: line breaks as \\n, no control or
    bidi characters, no lone surrogates. Runs at C speed (translate, regex): a 1 MB paste
    must not hold up the window."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    replaced = 0
    if _SURROGATE.search(text):
        # Qt strings are UTF-16; a paste or an input method can leave half a pair behind,
        # which SQLite and the HTTP client refuse to encode. Whole pairs are joined into
        # one character; lone halves become U+FFFD, which shows as a visible box.
        before = text.count("\ufffd")
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        replaced = text.count("\ufffd") - before
    length = len(text)
    text = text.translate(_REMOVE)
    text = _TAGS.sub(lambda m: m.group(0) if m.group(1) else "", text)
    return CleanedText(text, length - len(text), replaced)


def too_long(length: int) -> str:
    """Why a message of `length` characters was refused."""
    return ngettext(
        "That message has {count} character; the limit is {limit}. Shorten it and send again.",
        "That message has {count} characters; the limit is {limit}. Shorten it and send again.",
        length,
    ).format(count=format_number(length), limit=format_number(MAX_MESSAGE_CHARS))


@dataclass(frozen=True)
class MessageText:
    """A message that may be sent: `text` is cleaned and stripped; `note` says what
    cleaning took out (shown once it is sent), None when nothing."""

    text: str
    note: str | None = None
    spoken: bool = False
    """Said aloud and transcribed, not typed (stored with the message: messages.spoken)."""


@dataclass(frozen=True)
class Refusal:
    """A message that may not be sent, and why, in words for the learner."""

    reason: str


def message_text(raw: str) -> MessageText | Refusal:
    """The learner's typed text made ready to send, or why it cannot be sent: nothing
    visible in it, or longer than MAX_MESSAGE_CHARS once cleaned."""
    if len(raw) > 4 * MAX_MESSAGE_CHARS:
        # Refused before cleaning: however much cleaning took out, it would not fit.
        return Refusal(too_long(len(raw)))
    cleaned = clean_message_text(raw)
    if not cleaned.has_visible:
        return Refusal(_(NOTHING_VISIBLE))
    text = cleaned.text.strip()
    if len(text) > MAX_MESSAGE_CHARS:
        return Refusal(too_long(len(text)))
    return MessageText(text, cleaned.note())
