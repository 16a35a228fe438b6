"""Help on what the partner says, asked of the coach's model: a translation of a message,
a word or phrase looked up in its sentence.

Each is one whole (not streamed) request for JSON, with the coach's fallback from a
strict JSON schema to `json_object` to plain text (tutor/llm/coach.py): a refusal of the
format, or an answer that is not the JSON asked for, moves down one step; any other
failure is raised at once. The path that worked is returned, so the next request to
this server and model starts there (it is the coach's path, kept with the coach's).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tutor.domain.conversation import TokenUsage
from tutor.domain.corrections import CoachPath
from tutor.domain.lemmas import dictionary_form
from tutor.domain.profile import LearnerProfile
from tutor.domain.word_help import (
    Lookup,
    Translation,
    WordHelpError,
    parse_lookup,
    parse_translation,
)
from tutor.domain.word_help_prompt import (
    LOOKUP_SCHEMA,
    TRANSLATION_SCHEMA,
    lookup_cap,
    lookup_messages,
    response_format,
    translation_cap,
    translation_messages,
)
from tutor.domain.word_spans import LookupTarget
from tutor.i18n.translate import N_
from tutor.llm.client import ChatClient
from tutor.llm.json_answer import JsonRequest, ask_json

# Translators: {problem} says why: a clause, or a sentence without its full stop.
CANNOT_TRANSLATE = N_("The message could not be translated: {problem}.")
# Translators: {problem} says why: a clause, or a sentence without its full stop.
CANNOT_LOOK_UP = N_("The word could not be looked up: {problem}.")

T = TypeVar("T")


@dataclass(frozen=True)
class HelpResult(Generic[T]):
    answer: T
    path: CoachPath
    """The path that worked: the next request to this server and model starts there."""
    model: str
    usage: TokenUsage | None


def translate(
    client: ChatClient,
    model: str,
    profile: LearnerProfile,
    text: str,
    first_path: CoachPath = CoachPath.JSON_SCHEMA,
) -> HelpResult[Translation]:
    """The partner's `text` in the learner's own language; LlmError if none could be had."""
    return _ask(
        client,
        model,
        first_path,
        messages=lambda path: translation_messages(profile, text, path),
        schema=("translation", TRANSLATION_SCHEMA),
        parse=lambda answer: parse_translation(answer, text),
        cap=translation_cap(text, profile),
        failure=CANNOT_TRANSLATE,
    )


def look_up(
    client: ChatClient,
    model: str,
    profile: LearnerProfile,
    target: LookupTarget,
    first_path: CoachPath = CoachPath.JSON_SCHEMA,
) -> HelpResult[Lookup]:
    """The word explained in its sentence; LlmError if no usable answer could be had.

    The dictionary form is simplemma's where it knows the language and the word
    (tutor/domain/lemmas.py), the model's otherwise."""
    # The dictionary's list loads (a second or two, the first time in a run) while the
    # model is asked, not after it answered.
    with ThreadPoolExecutor(1, thread_name_prefix="lemma") as pool:
        lemma_form = pool.submit(dictionary_form, target.word, profile.target_language)
        result = _ask(
            client,
            model,
            first_path,
            messages=lambda path: lookup_messages(profile, target, path),
            schema=("lookup", LOOKUP_SCHEMA),
            parse=lambda answer: parse_lookup(answer, target.word),
            cap=lookup_cap(profile),
            failure=CANNOT_LOOK_UP,
        )
        lemma = lemma_form.result()
    if lemma is None:
        return result
    lookup = result.answer
    improved = Lookup(
        lookup.word,
        lookup.meaning,
        lemma,
        True,
        lookup.part_of_speech,
        lookup.example,
        lookup.example_meaning,
    )
    return HelpResult(improved, result.path, result.model, result.usage)


def _ask(
    client: ChatClient,
    model: str,
    first_path: CoachPath,
    *,
    messages: Callable[[CoachPath], list[dict[str, str]]],
    schema: tuple[str, dict[str, Any]],
    parse: Callable[[str], T],
    cap: int,
    failure: str,
) -> HelpResult[T]:
    answer = ask_json(
        client,
        model,
        first_path,
        JsonRequest(messages, lambda path: response_format(path, *schema), cap, failure, "help"),
        parse,
        WordHelpError,
    )
    return HelpResult(answer.value, answer.path, model, answer.usage)
