"""A reasoning model's thinking, kept apart from its words.

Qwen3, QwQ, DeepSeek-R1, Phi-4-reasoning, GLM and others, served by Ollama, LM Studio,
llama.cpp or vLLM without a reasoning parser, open their `content` with a block of
thinking: `<think>…</think>`, in some fine-tunes `<thinking>`, `<thought>` or
`<reasoning>`, in Mistral's Magistral `[THINK]…[/THINK]`. Some chat templates put the
opening tag in the prompt, so the content starts with the thinking and only the closing
tag shows (DeepSeek-R1's distills under several servers). Neither is the partner's
words: not shown, not stored, not sent back, not given to the coach.

Only a block at the start counts (a tag in the middle of a reply is the model's words),
except that a closing tag with no opening one ends thinking that began with the reply.

Pure. `ReasoningSplitter` takes a reply's pieces as they stream and gives back its words
at once: a reply that does not start with "<" or "[" is never held back; one that does
is held only until it is clearly not a tag. `separate_reasoning` does the same for a
whole text, and `without_reasoning` cheaply for texts stored by earlier versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from tutor.i18n.translate import _

_BLOCKS = {
    "<think>": "</think>",
    "<thinking>": "</thinking>",
    "<thought>": "</thought>",
    "<reasoning>": "</reasoning>",
    "[think]": "[/think]",
}
"""Opening tag -> closing tag, lower case (tags are matched in any case)."""
_CLOSINGS = tuple(dict.fromkeys(_BLOCKS.values()))


def no_words_reason(finish_reason: str | None) -> str:
    """Why an answer that held only thinking has no words, as a clause ("…: {it}.")."""
    if finish_reason == "length":
        # Translators: a clause after a colon, e.g. "No words came: {reason}."
        return _("the model was still thinking when it reached the length limit")
    # Translators: a clause after a colon, e.g. "No words came: {reason}."
    return _("the model thought but wrote no answer")


def no_words_reply(finish_reason: str | None) -> str:
    """The same for the partner's reply, in words for the learner (stored with it)."""
    reason = no_words_reason(finish_reason)
    if finish_reason == "length":
        return _("No words came: {reason}. Retry, or choose a model that thinks less.").format(
            reason=reason
        )
    return _("No words came: {reason}.").format(reason=reason)


class _Place(Enum):
    START = auto()
    """Nothing but white space yet: an opening tag may still come."""
    THINKING = auto()
    """Inside a leading block, waiting for its closing tag."""
    AFTER = auto()
    """Thinking ended; white space before the words is dropped."""
    WORDS = auto()
    """Words, watched for a closing tag without an opening one."""
    ONLY_WORDS = auto()
    """Words, and nothing more to watch for."""


class ReasoningSplitter:
    """Fed a reply's text pieces in order, gives back the words and keeps the thinking.

    `feed` returns the words to add (often the whole piece, "" while thinking). When a
    closing tag turns up with no opening one, what came before it was thinking: the
    words given so far are withdrawn (`restarts` counts up; a caller keeping the text
    drops it) and only what follows the tag is words. Thinking sent in a separate field
    (`reasoning_content`, `reasoning`) goes to `feed_reasoning`. `finish` returns what
    was held back to decide on a tag, once the reply has ended.
    """

    def __init__(self) -> None:
        self._place = _Place.START
        self._held = ""
        self._closing = ""
        self._gave_words = False
        self.thinking = False
        """The model is thinking now: inside a block, or sending reasoning deltas."""
        self.reasoned = False
        """Some thinking (not just white space) arrived, in a block or a field."""
        self.restarts = 0
        """How often the words so far turned out to be thinking (at most once)."""

    def feed(self, piece: str) -> str:
        """The words in `piece`, given what came before it."""
        if self._place is _Place.ONLY_WORDS:
            self.thinking = False
            return piece
        text = self._held + piece
        self._held = ""
        if self._place is _Place.START:
            return self._from_start(text)
        if self._place is _Place.THINKING:
            return self._in_block(text)
        if self._place is _Place.AFTER:
            return self._after_block(text)
        return self._in_words(text)

    def feed_reasoning(self, piece: str) -> None:
        """Thinking the server sent apart from the content."""
        self.thinking = True
        if piece.strip():
            self.reasoned = True

    def finish(self) -> str:
        """The reply has ended: what was held back is words, unless it was thinking."""
        held, self._held = self._held, ""
        if self._place is _Place.THINKING:
            return ""  # an unclosed block: all of it was thinking (`thinking` stays True)
        if self._place is _Place.AFTER:
            return ""
        return held

    def _from_start(self, text: str) -> str:
        start = text.lstrip()
        if not start:
            self._held = text
            return ""
        if self.thinking:
            text = start  # words after thinking sent in its own field
        if start[0] not in "<[":
            return self._in_words(text)
        lowered = start[:12].lower()
        for opening, closing in _BLOCKS.items():
            if lowered.startswith(opening):
                self._place = _Place.THINKING
                self._closing = closing
                self.thinking = True
                return self._in_block(start[len(opening) :])
            if len(lowered) < len(opening) and opening.startswith(lowered):
                self._held = text  # perhaps a tag, cut between pieces
                return ""
        return self._in_words(text)

    def _in_block(self, text: str) -> str:
        end = text.lower().find(self._closing)
        if end < 0:
            self._held = _partial_tag(text, (self._closing,))
            if text[: len(text) - len(self._held)].strip():
                self.reasoned = True
            return ""
        if text[:end].strip():
            self.reasoned = True
        self.thinking = False
        self._place = _Place.AFTER
        return self._after_block(text[end + len(self._closing) :])

    def _after_block(self, text: str) -> str:
        words = text.lstrip()
        if not words:
            return ""
        self.thinking = False
        self._place = _Place.ONLY_WORDS
        return words

    def _in_words(self, text: str) -> str:
        self._place = _Place.WORDS
        self.thinking = False
        if "<" not in text and "[" not in text:
            self._gave_words = self._gave_words or bool(text.strip())
            return text
        lowered = text.lower()
        for closing in _CLOSINGS:
            end = lowered.find(closing)
            if end >= 0:
                # Thinking begun in the prompt: everything so far was thinking.
                self.restarts += 1
                self.reasoned = self.reasoned or self._gave_words or bool(text[:end].strip())
                self._place = _Place.AFTER
                return self._after_block(text[end + len(closing) :])
        self._held = _partial_tag(text, _CLOSINGS)
        words = text[: len(text) - len(self._held)]
        self._gave_words = self._gave_words or bool(words.strip())
        return words


def _partial_tag(text: str, tags: tuple[str, ...]) -> str:
    """The end of `text` that may be the start of one of `tags` ("</thi"), or ""."""
    cut = max(text.rfind("<"), text.rfind("["))
    if cut < 0:
        return ""
    tail = text[cut:].lower()
    if any(len(tail) < len(tag) and tag.startswith(tail) for tag in tags):
        return text[cut:]
    return ""


@dataclass(frozen=True)
class Separated:
    """A whole answer, its thinking taken out."""

    words: str
    reasoned: bool
    """It held some thinking."""
    thinking: bool
    """It ended inside its thinking (cut by a length limit): no words came after it."""


def separate_reasoning(text: str) -> Separated:
    """The words of a whole (not streamed) answer, by the same rules as the splitter."""
    splitter = ReasoningSplitter()
    words = splitter.feed(text) + splitter.finish()
    return Separated(words, splitter.reasoned, splitter.thinking)


def without_reasoning(text: str) -> str:
    """`text` without its thinking; cheap for a text with none (a stored reply of an
    earlier version is checked each time the history is sent)."""
    if "</" not in text and "[/" not in text and text.lstrip()[:1] not in ("<", "["):
        return text
    return separate_reasoning(text).words
