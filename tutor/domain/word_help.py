"""Help on what the partner says: a message translated into the learner's own language,
and a word or phrase looked up in its sentence.

Both are asked of the coach's model as JSON and read like the coach's answer: lenient
about the form (prose around the JSON, code fences, renamed keys), strict about the
content (a translation must say something; a look-up must give a meaning). What is kept
(tutor/store/help_answers.py) is the answer as read here, written again as JSON by
`as_json`, so reading a kept answer never depends on how a model once phrased it.

The requests themselves: tutor/domain/word_help_prompt.py.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from tutor.domain.json_text import first_json_object, first_value
from tutor.i18n.translate import _, pgettext

TRANSLATION_KIND = "translation"
LOOKUP_KIND = "lookup"
"""The kinds help answers are kept under (tutor/store/help_answers.py)."""

MAX_ANSWER_CHARS = 50_000
MAX_LOOKUP_FIELD_CHARS = 400


class PartOfSpeech(StrEnum):
    NOUN = "noun"
    VERB = "verb"
    ADJECTIVE = "adjective"
    ADVERB = "adverb"
    PRONOUN = "pronoun"
    PREPOSITION = "preposition"
    CONJUNCTION = "conjunction"
    ARTICLE = "article"
    NUMERAL = "numeral"
    INTERJECTION = "interjection"
    PARTICLE = "particle"
    PHRASE = "phrase"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The part of speech in the interface language, as the card shows it."""
        labels = {
            PartOfSpeech.NOUN: pgettext("part of speech", "noun"),
            PartOfSpeech.VERB: pgettext("part of speech", "verb"),
            PartOfSpeech.ADJECTIVE: pgettext("part of speech", "adjective"),
            PartOfSpeech.ADVERB: pgettext("part of speech", "adverb"),
            PartOfSpeech.PRONOUN: pgettext("part of speech", "pronoun"),
            PartOfSpeech.PREPOSITION: pgettext("part of speech", "preposition"),
            PartOfSpeech.CONJUNCTION: pgettext("part of speech", "conjunction"),
            PartOfSpeech.ARTICLE: pgettext("part of speech", "article"),
            PartOfSpeech.NUMERAL: pgettext("part of speech", "numeral"),
            PartOfSpeech.INTERJECTION: pgettext("part of speech", "interjection"),
            PartOfSpeech.PARTICLE: pgettext("part of speech", "particle"),
            PartOfSpeech.PHRASE: pgettext("part of speech", "phrase"),
            PartOfSpeech.OTHER: "",
        }
        return labels[self]


# What a model may call a part of speech (matched in its answer, never shown).
_POS_WORDS = {
    PartOfSpeech.NOUN: ("noun", "substantive"),
    PartOfSpeech.VERB: ("verb",),
    PartOfSpeech.ADJECTIVE: ("adjective", "adj"),
    PartOfSpeech.ADVERB: ("adverb", "adv"),
    PartOfSpeech.PRONOUN: ("pronoun",),
    PartOfSpeech.PREPOSITION: ("preposition", "postposition", "adposition"),
    PartOfSpeech.CONJUNCTION: ("conjunction",),
    PartOfSpeech.ARTICLE: ("article", "determiner"),
    PartOfSpeech.NUMERAL: ("numeral", "number"),
    PartOfSpeech.INTERJECTION: ("interjection", "exclamation"),
    PartOfSpeech.PARTICLE: ("particle",),
    PartOfSpeech.PHRASE: ("phrase", "expression", "idiom"),
}


class WordHelpError(ValueError):
    """The model's answer holds no usable translation or look-up."""


@dataclass(frozen=True)
class Translation:
    text: str
    of: str = ""
    """The message's text it translates: a message changed since (made simpler, say)
    is translated again, not shown with the old one's translation."""

    def translates(self, text: str) -> bool:
        return not self.of or self.of == text


@dataclass(frozen=True)
class Lookup:
    """A word or phrase explained in its sentence, for the learner."""

    word: str
    """As it stands in the message."""
    meaning: str
    """In the learner's own language, in this sentence."""
    lemma: str
    """The dictionary form; empty when the model gave none and no dictionary knew it."""
    lemma_from_dictionary: bool
    """True when `lemma` came from a lemmatizer made for the language (simplemma)."""
    part_of_speech: PartOfSpeech
    example: str
    """One sentence in the target language at the learner's level."""
    example_meaning: str

    @property
    def part_of_speech_label(self) -> str:
        return self.part_of_speech.label


# ------------------------------------------------------------------ answers

_TRANSLATION_KEYS = ("translation", "translated", "text", "translated_text", "result")
_MEANING_KEYS = ("meaning", "meaning_in_sentence", "translation", "definition", "gloss")
_LEMMA_KEYS = ("lemma", "dictionary_form", "base_form", "infinitive", "headword")
_POS_KEYS = ("part_of_speech", "pos", "partofspeech", "word_class", "type")
_EXAMPLE_KEYS = ("example", "example_sentence", "sample")
_EXAMPLE_MEANING_KEYS = (
    "example_meaning",
    "example_translation",
    "example_translated",
    "translation_of_example",
)


def parse_translation(text: str, original: str) -> Translation:
    """The translation in a model's answer; WordHelpError when there is none."""
    data = _answer_object(text)
    translated = first_value(data, _TRANSLATION_KEYS)
    if not isinstance(translated, str) or not translated.strip():
        raise WordHelpError(_("The answer has no translation in it."))
    translated = translated.strip()
    if len(translated) > 4 * len(original) + 400:
        raise WordHelpError(_("The translation is far longer than the message."))
    return Translation(translated, original)


def parse_lookup(text: str, word: str) -> Lookup:
    """The look-up of `word` in a model's answer; WordHelpError when it gives no meaning.
    The other fields may be missing or empty: the card leaves them out."""
    data = _answer_object(text)
    meaning = _field(first_value(data, _MEANING_KEYS))
    if not meaning:
        raise WordHelpError(_("The answer does not say what the word means."))
    return Lookup(
        word=word,
        meaning=meaning,
        lemma=_field(first_value(data, _LEMMA_KEYS)).strip("\"'“”«»"),
        lemma_from_dictionary=False,
        part_of_speech=part_of_speech(first_value(data, _POS_KEYS)),
        example=_field(first_value(data, _EXAMPLE_KEYS)),
        example_meaning=_field(first_value(data, _EXAMPLE_MEANING_KEYS)),
    )


def part_of_speech(name: object) -> PartOfSpeech:
    """A part of speech from whatever name the model used; OTHER when unknown."""
    if not isinstance(name, str):
        return PartOfSpeech.OTHER
    key = name.strip().casefold().replace("-", "_").replace(" ", "_")
    try:
        return PartOfSpeech(key)
    except ValueError:
        pass
    for kind, words in _POS_WORDS.items():
        if any(key.startswith(word) for word in words):
            return kind
    return PartOfSpeech.OTHER


def as_json(answer: Translation | Lookup) -> str:
    """An answer as it is kept."""
    return json.dumps(asdict(answer), ensure_ascii=False)


def kept_translation(text: str) -> Translation | None:
    """A kept translation, or None if what is kept cannot be read (asked again then)."""
    try:
        data = json.loads(text)
        return Translation(str(data["text"]), str(data.get("of", "")))
    except (ValueError, KeyError, TypeError):
        return None


def kept_lookup(text: str) -> Lookup | None:
    """A kept look-up, or None if what is kept cannot be read (asked again then)."""
    try:
        data = json.loads(text)
        return Lookup(
            word=str(data["word"]),
            meaning=str(data["meaning"]),
            lemma=str(data.get("lemma", "")),
            lemma_from_dictionary=bool(data.get("lemma_from_dictionary", False)),
            part_of_speech=part_of_speech(data.get("part_of_speech")),
            example=str(data.get("example", "")),
            example_meaning=str(data.get("example_meaning", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _answer_object(text: str) -> dict[str, Any]:
    if len(text) > MAX_ANSWER_CHARS:
        raise WordHelpError(_("The answer is far too long to be what was asked."))
    data = first_json_object(text)
    if data is None:
        raise WordHelpError(_("The answer holds no JSON object."))
    return data


def _field(value: object) -> str:
    if not isinstance(value, str):
        return ""
    value = " ".join(value.split())
    if len(value) > MAX_LOOKUP_FIELD_CHARS:
        value = value[: MAX_LOOKUP_FIELD_CHARS - 1].rstrip() + "…"
    return value
