"""A reasoning model's thinking kept apart from its words: the rules, piece by piece."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.domain.conversation import (
    EMPTY_REPLY,
    ChatMessage,
    MessageState,
    Role,
    StreamingReply,
    finished_reply,
    partner_line_before,
    request_messages,
)
from tutor.domain.reasoning import (
    ReasoningSplitter,
    no_words_reply,
    separate_reasoning,
    without_reasoning,
)

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
THOUGHT = 'The learner wrote "Me llamo Ana". I should ask where she is from. {"not": "json"}'
WORDS = "¡Encantada, Ana! ¿De dónde eres?"


def streamed(pieces: list[str]) -> tuple[str, ReasoningSplitter]:
    """The words a caller keeps from these pieces (dropping them on a restart)."""
    splitter = ReasoningSplitter()
    kept = ""
    restarts = 0
    for piece in pieces:
        words = splitter.feed(piece)
        if splitter.restarts != restarts:
            restarts, kept = splitter.restarts, ""
        kept += words
    return kept + splitter.finish(), splitter


def cut_at(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *sorted(c % (len(text) + 1) for c in cuts), len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


REPLIES_WITH_THINKING = [
    f"<think>\n{THOUGHT}\n</think>\n\n{WORDS}",  # Qwen3, QwQ, DeepSeek-R1
    f"  \n<think>{THOUGHT}</think>{WORDS}",  # white space before the tag, none after
    f"<thinking>{THOUGHT}</thinking>\n{WORDS}",
    f"<thought>{THOUGHT}</thought>\n{WORDS}",
    f"<reasoning>{THOUGHT}</reasoning>\n{WORDS}",
    f"[THINK]{THOUGHT}[/THINK]{WORDS}",  # Magistral
    f"<THINK>{THOUGHT}</Think> {WORDS}",  # any case
    f"{THOUGHT}\n</think>\n\n{WORDS}",  # the opening tag was in the prompt
]


@pytest.mark.parametrize("reply", REPLIES_WITH_THINKING)
def test_a_leading_thought_is_not_words_however_the_pieces_fall(reply):
    assert separate_reasoning(reply).words == WORDS
    assert separate_reasoning(reply).reasoned
    for size in (1, 2, 3, 5, 8):
        pieces = [reply[i : i + size] for i in range(0, len(reply), size)]
        words, splitter = streamed(pieces)
        assert words == WORDS, (size, pieces)
        assert splitter.reasoned and not splitter.thinking


@given(st.sampled_from(REPLIES_WITH_THINKING), st.lists(st.integers(0, 10_000), max_size=12))
def test_pieces_cut_anywhere_give_the_same_words(reply, cuts):
    words, _ = streamed(cut_at(reply, cuts))
    assert words == WORDS


@given(st.text(), st.lists(st.integers(0, 10_000), max_size=8))
def test_a_reply_that_does_not_think_is_given_whole(text, cuts):
    if "</" in text.lower() or "[/" in text or text.lstrip()[:1] in ("<", "["):
        return  # tags: the cases above
    words, splitter = streamed(cut_at(text, cuts))
    assert words == text
    assert not splitter.reasoned
    assert separate_reasoning(text).words == text
    assert without_reasoning(text) is text


def test_ordinary_words_are_never_held_back():
    splitter = ReasoningSplitter()
    for piece in ["¡Hola", ", Ana", "!", " ¿Qué", " tal?", " Uso <b> y [risas]", " 3 < 4"]:
        assert splitter.feed(piece) == piece
    assert splitter.finish() == ""


def test_a_reply_that_starts_like_a_tag_is_held_only_until_it_is_not_one():
    splitter = ReasoningSplitter()
    assert splitter.feed("<") == ""
    assert splitter.feed("b>Hola") == "<b>Hola"
    splitter = ReasoningSplitter()
    assert splitter.feed("[") == ""
    assert splitter.feed("risas] ¡Hola!") == "[risas] ¡Hola!"
    splitter = ReasoningSplitter()
    assert splitter.feed("<thi") == ""
    assert splitter.finish() == "<thi"  # the reply ended: it was words after all


def test_thinking_is_known_while_it_arrives_and_ends_with_the_words():
    splitter = ReasoningSplitter()
    assert splitter.feed("<thi") == "" and not splitter.thinking
    assert splitter.feed("nk>\nHmm, she") == "" and splitter.thinking
    assert splitter.feed(" is from Spain.</th") == "" and splitter.thinking
    assert splitter.feed("ink>\n\n") == "" and not splitter.thinking
    assert splitter.feed("¿De") == "¿De"
    assert splitter.feed(" Madrid?") == " Madrid?"
    assert splitter.reasoned


def test_reasoning_sent_in_its_own_field_is_thinking_until_words_come():
    splitter = ReasoningSplitter()
    splitter.feed_reasoning("The learner")
    splitter.feed_reasoning(" greets me.")
    assert splitter.thinking and splitter.reasoned
    assert splitter.feed("\n\n") == ""
    assert splitter.thinking  # white space is not words yet
    assert splitter.feed("¡Hola!") == "¡Hola!"
    assert not splitter.thinking


def test_an_empty_block_is_not_reasoning():
    """Qwen3 with thinking turned off still writes an empty block."""
    answer = separate_reasoning(f"<think>\n\n</think>\n\n{WORDS}")
    assert answer.words == WORDS and not answer.reasoned


def test_a_thought_cut_off_before_its_end_leaves_no_words():
    answer = separate_reasoning(f"<think>\n{THOUGHT} and then")
    assert answer.words == "" and answer.reasoned and answer.thinking
    words, splitter = streamed(["<think>", "\nHmm", ", let me", " think </thi"])
    assert words == "" and splitter.thinking


def test_a_tag_later_in_a_reply_is_the_model_s_words():
    text = "Escribe <think> entre comillas: «<think>». [THINK] también."
    assert separate_reasoning(text).words == text
    after = f"<think>{THOUGHT}</think>{WORDS} Y luego </think> otra vez."
    assert separate_reasoning(after).words == f"{WORDS} Y luego </think> otra vez."


def test_a_closing_tag_without_an_opening_one_ends_the_thought_at_once():
    """The opening tag in the prompt: the words so far were thinking."""
    splitter = ReasoningSplitter()
    assert splitter.feed("Okay, the learner") == "Okay, the learner"
    assert splitter.feed(" said hi.\n</th") == " said hi.\n"
    assert splitter.restarts == 0
    assert splitter.feed("ink>\n\n¡Hola!") == "¡Hola!"
    assert splitter.restarts == 1 and splitter.reasoned
    assert splitter.feed(" ¿Qué tal?") == " ¿Qué tal?"


def test_without_reasoning_leaves_texts_with_no_tags_untouched():
    assert without_reasoning(WORDS) is WORDS
    assert without_reasoning(f"<think>{THOUGHT}</think>\n{WORDS}") == WORDS
    assert without_reasoning(f"<think>{THOUGHT}") == ""


# ---------------------------------------------------------------- the conversation


def message(mid: int, role: Role, text: str, state=MessageState.COMPLETE) -> ChatMessage:
    return ChatMessage(mid, 1, role, text, T0, state=state)


def test_a_reply_that_only_thought_fails_and_says_why():
    length = finished_reply("", "length", thought=True)
    assert length.state is MessageState.FAILED
    assert length.error == no_words_reply("length")
    assert "still thinking" in length.error and "length limit" in length.error
    stop = finished_reply("", "stop", thought=True)
    assert stop.state is MessageState.FAILED and "thought" in (stop.error or "")
    assert finished_reply("", "stop").error == EMPTY_REPLY


def test_a_restarted_reply_drops_its_words_so_far():
    reply = StreamingReply(7, 1, "m")
    reply.add("Okay, so")
    reply.restart()
    reply.add("¡Hola!")
    assert reply.text == "¡Hola!" and reply.take_unpainted() == "¡Hola!"
    assert reply.thought


def test_thinking_stored_by_an_earlier_version_is_not_sent_back_nor_given_to_the_coach():
    history = [
        message(1, Role.ASSISTANT, f"<think>{THOUGHT}</think>\n\n¡Hola! ¿Cómo te llamas?"),
        message(2, Role.USER, "Me llamo Ana"),
        message(3, Role.ASSISTANT, f"<think>{THOUGHT}"),  # only thinking: like no reply
        message(4, Role.ASSISTANT, f"{THOUGHT}</think>¿De dónde eres?"),
        message(5, Role.USER, "Soy de Madrid"),
    ]
    sent = request_messages("system", history, 10_000)
    assert [(m["role"], m["content"]) for m in sent[2:]] == [
        ("assistant", "¡Hola! ¿Cómo te llamas?"),
        ("user", "Me llamo Ana"),
        ("assistant", "¿De dónde eres?"),
        ("user", "Soy de Madrid"),
    ]
    assert partner_line_before(history, 2) == "¡Hola! ¿Cómo te llamas?"
    assert partner_line_before(history, 5) == "¿De dónde eres?"
    assert partner_line_before([*history[:3], message(6, Role.USER, "¿Y tú?")], 6) == ""
