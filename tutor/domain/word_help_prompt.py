"""The requests for help on what the partner says: a message to translate, a word or
phrase to look up in its sentence, and the JSON each answer should be.

The prompts are in English, as every prompt to the model is; the partner's words travel
as JSON strings inside the user turn, so nothing in them can pass for an instruction.
The user turn's JSON names its task ("translate", "lookup"), which the project's test
server routes on.
"""

from __future__ import annotations

import json
from typing import Any

from tutor.domain.conversation import estimate_tokens
from tutor.domain.corrections import CoachPath
from tutor.domain.levels import guide
from tutor.domain.output_caps import LARGEST_CAP, script_factor
from tutor.domain.profile import LearnerProfile
from tutor.domain.word_help import PartOfSpeech
from tutor.domain.word_spans import LookupTarget

TRANSLATE_TASK = "translate"
LOOKUP_TASK = "lookup"
"""The "task" names in the request's JSON (the test server routes on them)."""

TRANSLATION_BASE_TOKENS = 60
TRANSLATION_TOKENS_PER_TEXT_TOKEN = 2
"""A translation is about as long as its text; twice its tokens leaves room for a
language that takes more tokens than the partner's."""
LOOKUP_TOKENS = 350
"""Five short fields: a meaning, a word, a part of speech, two sentences."""


_JSON_RULE = "Reply with the JSON object only, no other text. Example:"


def response_format(path: CoachPath, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The `response_format` argument for a path; None for a plain request."""
    if path is CoachPath.JSON_SCHEMA:
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "strict": True, "schema": schema},
        }
    if path is CoachPath.JSON_OBJECT:
        return {"type": "json_object"}
    return None


TRANSLATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"translation": {"type": "string"}},
    "required": ["translation"],
    "additionalProperties": False,
}

LOOKUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "meaning": {"type": "string"},
        "lemma": {"type": "string"},
        "part_of_speech": {"type": "string", "enum": [p.value for p in PartOfSpeech]},
        "example": {"type": "string"},
        "example_meaning": {"type": "string"},
    },
    "required": ["meaning", "lemma", "part_of_speech", "example", "example_meaning"],
    "additionalProperties": False,
}


def translation_messages(
    profile: LearnerProfile, text: str, path: CoachPath
) -> list[dict[str, str]]:
    """Ask for the partner's message in the learner's own language."""
    target, native = profile.target.english_name, profile.native.english_name
    rules = [
        f"You translate for a learner of {target}. Translate the message their "
        f"conversation partner wrote from {target} into natural {native}.",
        "Keep the meaning, the tone and the line breaks. Translate everything; do not "
        "explain, comment or answer the message.",
        'Answer with one JSON object: {"translation": the translation}.',
    ]
    if path is CoachPath.PLAIN:
        rules += [_JSON_RULE, '{"translation": "Hello! What would you like to talk about?"}']
    request = {"task": TRANSLATE_TASK, "from": target, "into": native, "text": text}
    return [
        {"role": "system", "content": "\n".join(rules)},
        {"role": "user", "content": json.dumps(request, ensure_ascii=False)},
    ]


def lookup_messages(
    profile: LearnerProfile, target: LookupTarget, path: CoachPath
) -> list[dict[str, str]]:
    """Ask what a word or phrase means in its sentence, for this learner."""
    language, native = profile.target.english_name, profile.native.english_name
    level = guide(profile.level)
    rules = [
        f"A learner of {language} at CEFR level {level.level.value} ({level.name}) does not "
        "know a word or phrase in a sentence their conversation partner wrote. Explain it.",
        "Answer with one JSON object with these keys:",
        f'- "meaning": what it means in this sentence, in {native}: a few words, not a '
        "definition of every sense.",
        f'- "lemma": its dictionary form in {language} (the infinitive of a verb, the '
        "singular of a noun…), as a dictionary lists it.",
        f'- "part_of_speech": one of: {", ".join(p.value for p in PartOfSpeech)}.',
        f'- "example": one new, short sentence in {language} that uses it, easy enough '
        f"for level {level.level.value}.",
        f'- "example_meaning": that example in {native}.',
    ]
    if path is CoachPath.PLAIN:
        rules += [
            _JSON_RULE,
            '{"meaning": "ate", "lemma": "comer", "part_of_speech": "verb", "example": '
            '"Ayer comí pan.", "example_meaning": "Yesterday I ate bread."}',
        ]
    request = {
        "task": LOOKUP_TASK,
        "language": language,
        "level": level.level.value,
        "native_language": native,
        "sentence": target.sentence,
        "word": target.word,
    }
    return [
        {"role": "system", "content": "\n".join(rules)},
        {"role": "user", "content": json.dumps(request, ensure_ascii=False)},
    ]


def translation_cap(text: str, profile: LearnerProfile) -> int:
    tokens = (
        TRANSLATION_TOKENS_PER_TEXT_TOKEN * estimate_tokens(text) * script_factor(profile.native)
    )
    return min(LARGEST_CAP, round(TRANSLATION_BASE_TOKENS + tokens))


def lookup_cap(profile: LearnerProfile) -> int:
    factor = max(script_factor(profile.native), script_factor(profile.target))
    return min(LARGEST_CAP, round(LOOKUP_TOKENS * factor))
