"""Messages of a practice session and the request history built from them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache

from tutor.domain.corrections import Correction
from tutor.domain.prompts import OPENING_CUE
from tutor.domain.reasoning import no_words_reply, without_reasoning
from tutor.i18n.translate import N_, _


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class MessageState(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"
    CUT_OFF = "cut_off"
    """Stopped before the model finished: by the learner, a crash, or a length limit."""
    FAILED = "failed"


@dataclass(frozen=True)
class TokenUsage:
    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ChatMessage:
    id: int
    session_id: int
    role: Role
    text: str
    created_at: datetime
    state: MessageState = MessageState.COMPLETE
    model: str | None = None
    finish_reason: str | None = None
    usage: TokenUsage | None = None
    error: str | None = None
    """For a failed or cut-off reply: what went wrong, in words for the learner."""
    correction: Correction | None = None
    """For a learner's message: what the coach made of it."""
    spoken: bool = False
    """A learner's message that was said aloud and transcribed: the coach checks it as
    speech (no marks for punctuation, capitals or spelling, which are the transcriber's)."""

    def with_changes(self, **changes: object) -> ChatMessage:
        return replace(self, **changes)  # type: ignore[arg-type]


# Why a reply ended early, stored with it as its error. Marked here, translated where
# stored (`_(LENGTH_LIMIT)`): the text is kept in the interface language of that moment,
# as every other error a reply stores is.
STOPPED_BY_LEARNER = N_("You stopped this reply.")
INTERRUPTED_BY_LEARNER = N_("You interrupted this reply by sending a message.")
REPEATED_ITSELF = N_(
    "The model began repeating itself, so Tutor stopped the reply and kept it up to the "
    "first repeat."
)
LENGTH_LIMIT = N_("The reply was cut off: it reached the length limit for one reply.")
"""The cap Tutor sends with every request (output_caps.py), or the server's own."""
CONTENT_FILTER = N_("The server's content filter stopped this reply.")
EMPTY_REPLY = N_("The server answered with an empty reply.")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class StreamingReply:
    """The partner's reply while it arrives: the text lives here, never in a widget.

    Only the reply's words come here, never a reasoning model's thinking
    (domain/reasoning.py); `thinking` says whether the model is thinking now.
    """

    message_id: int
    request_id: int
    model: str
    text: str = ""
    thinking: bool = False
    """The model is thinking now, before (or between) its words."""
    thought: bool = False
    """The model thought at some point of this reply."""
    _unpainted: list[str] = field(default_factory=list)

    def think(self, thinking: bool) -> None:
        self.thinking = thinking
        self.thought = self.thought or thinking

    def restart(self) -> None:
        """The words so far turned out to be thinking (its opening tag was in the
        prompt): they go, from here and from what is left to paint."""
        self.text = ""
        self._unpainted.clear()
        self.thought = True

    def add(self, piece: str) -> None:
        if not self.text:
            # Many models open with a space or blank lines; a reply starts at its first word.
            piece = piece.lstrip()
            if not piece:
                return
        self.text += piece
        self._unpainted.append(piece)

    def drop_end(self, chars: int) -> None:
        """Take the last `chars` characters off (a loop's repeats), and the white space
        then left at the end. The view draws the message again from the stored text."""
        self.text = self.text[: max(0, len(self.text) - chars)].rstrip()
        self._unpainted.clear()

    def take_unpainted(self) -> str:
        """The text received since the view last asked."""
        pending = "".join(self._unpainted)
        self._unpainted.clear()
        return pending

    def shown_in(self, history: list[ChatMessage]) -> list[ChatMessage]:
        """The history with this reply's message carrying the text received so far, for a
        view drawn afresh: that text then counts as painted."""
        self.take_unpainted()
        return [m.with_changes(text=self.text) if m.id == self.message_id else m for m in history]


@dataclass(frozen=True)
class ReplyEnd:
    """How a reply that ended is stored: its state, and what went wrong in words."""

    state: MessageState
    error: str | None = None
    """Set when the learner should be told (and offered Retry); None for a whole reply."""


def finished_reply(text: str, finish_reason: str | None, *, thought: bool = False) -> ReplyEnd:
    """A reply the server finished: complete, or cut off by the length limit or the
    content filter; failed when no text came (nothing to keep, Retry asks again), and
    said so when the model `thought` but wrote no words."""
    if not text.strip():
        words = no_words_reply(finish_reason) if thought else _(EMPTY_REPLY)
        return ReplyEnd(MessageState.FAILED, words)
    if finish_reason == "length":
        return ReplyEnd(MessageState.CUT_OFF, _(LENGTH_LIMIT))
    if finish_reason == "content_filter":
        return ReplyEnd(MessageState.CUT_OFF, _(CONTENT_FILTER))
    return ReplyEnd(MessageState.COMPLETE)


def failed_reply(text: str, error: str) -> ReplyEnd:
    """A reply that stopped on an error: the text that arrived is
    kept as cut off; with none, the reply failed."""
    return ReplyEnd(MessageState.CUT_OFF if text.strip() else MessageState.FAILED, error)


def ended_by_learner(message: ChatMessage) -> bool:
    """A reply the learner cut short (Stop, Esc, or sending anew): nothing went wrong.

    Known by its stored words, in English or in the interface language now (a reply
    stopped while Tutor spoke another language reads as cut off)."""
    if message.state is not MessageState.CUT_OFF or message.error is None:
        return False
    return any(
        message.error in (said, _(said)) for said in (STOPPED_BY_LEARNER, INTERRUPTED_BY_LEARNER)
    )


def unanswered(history: list[ChatMessage]) -> str | None:
    """What a session opened again still waits for, in words (Retry asks for it); None
    when its last reply is there."""
    last = history[-1] if history else None
    if last is None:
        return _("The partner has not opened this conversation yet.")
    if last.role is Role.USER:
        return _("Your last message has no reply yet.")
    if last.state is MessageState.FAILED:
        return last.error or _("The last reply failed.")
    return None


def partner_line_before(history: list[ChatMessage], message_id: int) -> str:
    """The partner's words the learner's message `message_id` answers: the last reply with
    text before it, unless another learner's message came in between ("" then). A
    reasoning model's thinking stored by an earlier version is not its words."""
    for earlier in reversed(history):
        if earlier.id >= message_id:
            continue
        if earlier.role is Role.ASSISTANT and earlier.text:
            words = without_reasoning(earlier.text)
            if words:
                return words
            continue
        if earlier.role is Role.USER:
            return ""
    return ""


def sent_text(message: ChatMessage) -> str:
    """A message's text as the history sends it: a partner's reply without the thinking
    an earlier version stored with it."""
    return without_reasoning(message.text) if message.role is Role.ASSISTANT else message.text


@lru_cache(maxsize=20_000)
def estimate_tokens(text: str) -> int:
    """A server-independent estimate of a text's token count.

    Tokenizers differ per model; about four characters a token holds for alphabetic
    scripts, while CJK and other wide characters cost about one token each.
    """
    # Cached, with a fast path for ASCII: every request estimates the same turns again,
    # and character by character a long session's history took 22 ms of the GUI thread.
    if text.isascii():
        return len(text) // 4 + 4
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (len(text) - wide) // 4 + wide + 4  # + 4: the per-message overhead of chat formats


def request_messages(
    system_message: str, history: list[ChatMessage], budget_tokens: int
) -> list[dict[str, str]]:
    """The messages to send: system, the opening cue, then the newest turns that fit.

    Turns are dropped from the oldest until the estimate fits `budget_tokens`; the
    system message is never dropped, nor is the newest turn. The kept history always
    starts with a user turn, as strict chat templates require.
    """
    # Walk back from the newest only as far as the budget reaches (and a little more),
    # so a session of thousands of messages costs what a short one does.
    tail: list[ChatMessage] = []
    used = estimate_tokens(system_message)
    run: list[str] = []  # the texts of the turn being walked, newest first
    reached_start = True
    has_user = False
    for message in reversed(history):
        text = sent_text(message)
        if not text.strip() or message.state is MessageState.FAILED:
            continue
        # Stop only between turns of different roles: same-role messages are merged into
        # one turn below, and a turn must be whole. Its cost is counted as merged, as the
        # pass below counts it (estimates do not add up: counting the messages one by one
        # stopped early and dropped turns that fitted). Nor stop before a learner's turn
        # is in: the kept history must start with one.
        if run and message.role is not tail[-1].role:
            used += estimate_tokens("\n\n".join(reversed(run)))
            run = []
            if used > budget_tokens and has_user:
                reached_start = False
                break
        tail.append(message)
        run.append(text)
        has_user = has_user or message.role is Role.USER
    tail.reverse()
    turns: list[dict[str, str]] = (
        [{"role": Role.USER.value, "content": OPENING_CUE}] if reached_start else []
    )
    turns += [{"role": m.role.value, "content": sent_text(m)} for m in tail]
    turns = _merge_consecutive(turns)
    used = estimate_tokens(system_message)
    kept: list[dict[str, str]] = []
    for turn in reversed(turns):
        cost = estimate_tokens(turn["content"])
        if kept and used + cost > budget_tokens:
            break
        kept.append(turn)
        used += cost
    kept.reverse()
    while len(kept) > 1 and kept[0]["role"] != Role.USER.value:
        kept.pop(0)
    if kept[0]["role"] != Role.USER.value:
        # Only the newest turn fits and it is the partner's (a retry after a cut-off
        # reply): keep the learner's turn it answers, over budget, rather than none.
        kept.insert(0, turns[-2])
    return [{"role": "system", "content": system_message}, *kept]


def _merge_consecutive(turns: list[dict[str, str]]) -> list[dict[str, str]]:
    """Join turns of the same role (a learner who sent twice after a failed reply)."""
    merged: list[dict[str, str]] = []
    for turn in turns:
        if merged and merged[-1]["role"] == turn["role"]:
            merged[-1] = {
                "role": turn["role"],
                "content": merged[-1]["content"] + "\n\n" + turn["content"],
            }
        else:
            merged.append(dict(turn))
    return merged
