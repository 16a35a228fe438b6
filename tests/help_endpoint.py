"""The test server's answers to "help on what the partner says": a translation of a
message ("translate") and a word looked up in its sentence ("lookup").

Each default answer is made from the request, so a test can tell what was asked from
what is shown: the translation is the text in brackets with the language it was asked
into, the look-up's meaning names the word. A few Spanish words have real answers, for
screenshots that read well. Faults are queued by a test with
``server.enqueue_task("lookup", ScriptedReply(...))`` (malformed JSON, a 500, a hang…).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.openai_server import ScriptedReply, task_question

TRANSLATE = "translate"
LOOKUP = "lookup"

_SPANISH = {
    # word: (meaning, lemma, part of speech, example, example's meaning)
    "comí": ("ate (I ate)", "comer", "verb", "Hoy como en casa.", "Today I eat at home."),
    "playa": ("beach", "playa", "noun", "La playa está cerca.", "The beach is near."),
    "quieres": ("you want", "querer", "verb", "¿Quieres café?", "Do you want coffee?"),
    "hablar": ("to talk", "hablar", "verb", "Me gusta hablar.", "I like to talk."),
    "hoy": ("today", "hoy", "adverb", "Hoy hace sol.", "It is sunny today."),
}


def translated(text: str, into: str) -> str:
    """What the default translation of `text` into `into` says."""
    return f"[{into}] {text}"


def translate_reply(body: dict[str, Any]) -> ScriptedReply:
    question = task_question(body)
    answer = {"translation": translated(str(question.get("text", "")), str(question.get("into")))}
    return ScriptedReply(
        text=json.dumps(answer, ensure_ascii=False), prompt_tokens=40, completion_tokens=12
    )


def lookup_answer(word: str) -> dict[str, str]:
    """The default look-up of `word`, as the model's JSON."""
    known = _SPANISH.get(word.casefold())
    if known is not None:
        meaning, lemma, pos, example, example_meaning = known
    else:
        meaning, lemma, pos = f"meaning of {word}", f"{word} (model)", "noun"
        example, example_meaning = f"Ejemplo con {word}.", f"An example with {word}."
    return {
        "meaning": meaning,
        "lemma": lemma,
        "part_of_speech": pos,
        "example": example,
        "example_meaning": example_meaning,
    }


def lookup_reply(body: dict[str, Any]) -> ScriptedReply:
    answer = lookup_answer(str(task_question(body).get("word", "")))
    return ScriptedReply(
        text=json.dumps(answer, ensure_ascii=False), prompt_tokens=60, completion_tokens=30
    )


def word_help_replies() -> dict[str, Callable[[dict[str, Any]], ScriptedReply]]:
    """The default replies to register in ``OpenAITestServer.default_task_replies``."""
    return {TRANSLATE: translate_reply, LOOKUP: lookup_reply}


MALFORMED = ScriptedReply(text='Sure! Here it is: {"meaning": "ate", "lemma": ')
"""An answer that is not the JSON asked for, in any of the three paths."""
