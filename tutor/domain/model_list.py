"""A server's model list as a learner needs it: the models to talk to first.

Servers list every model they have. OpenAI's list holds embeddings, speech, transcription,
image and moderation models beside the chat ones, and a local server may hold an embedding
model beside its chat model. None of those can hold a conversation, so they go last, after
a separator, where the learner can still choose them (a name is only a guess).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tutor.i18n.translate import N_


class ModelUse(StrEnum):
    """What a model is for, guessed from its name."""

    CHAT = "chat"
    EMBEDDING = "embedding"
    SPEECH = "speech"
    TRANSCRIPTION = "transcription"
    IMAGE = "image"
    MODERATION = "moderation"
    COMPLETION = "completion"


# Translators: what a model in the server's list is for, after its name: "tts-1: a
# speech or voice model: it cannot hold a written conversation".
USE_IN_WORDS: dict[ModelUse, str] = {
    ModelUse.CHAT: N_("a chat model"),
    ModelUse.EMBEDDING: N_("an embedding model: it cannot hold a conversation"),
    ModelUse.SPEECH: N_("a speech or voice model: it cannot hold a written conversation"),
    ModelUse.TRANSCRIPTION: N_("a transcription model: it cannot hold a conversation"),
    ModelUse.IMAGE: N_("an image model: it cannot hold a conversation"),
    ModelUse.MODERATION: N_("a moderation model: it cannot hold a conversation"),
    ModelUse.COMPLETION: N_("an old text-completion model: it cannot hold a conversation"),
}
"""Marked only: shown with `_()`."""

# A word inside a model id: not preceded or followed by a letter ("tts-1" and
# "gpt-4o-mini-tts" are speech, "mattsmodel" is not). Ids are compared in lower case.
_WORD = r"(?<![a-z]){}(?![a-z])"
_PATTERNS: tuple[tuple[ModelUse, re.Pattern[str]], ...] = tuple(
    (use, re.compile("|".join(parts)))
    for use, parts in (
        # "embed" also inside a word: nomic-embed-text, text-embedding-3-small, embeddinggemma.
        (ModelUse.EMBEDDING, ("embed", _WORD.format("bge"), "minilm", "rerank")),
        (ModelUse.TRANSCRIPTION, ("whisper", "transcri", _WORD.format("stt"), _WORD.format("asr"))),
        (
            ModelUse.SPEECH,
            (_WORD.format("tts"), "speech", _WORD.format("audio"), "realtime", "voxtral"),
        ),
        (
            ModelUse.IMAGE,
            ("dall-?e", _WORD.format("image"), "imagen", "stable-diffusion", "sdxl", "sora"),
        ),
        (ModelUse.MODERATION, ("moderation", "llama-guard")),
        # OpenAI's legacy /completions models; "instruct" alone is a chat model elsewhere.
        (ModelUse.COMPLETION, (r"^(?:babbage|davinci)(?:-\d+)?$", "gpt-3\\.5-turbo-instruct")),
    )
)


def model_use(model_id: str) -> ModelUse:
    """What the model named `model_id` is for: CHAT unless its name says otherwise."""
    name = model_id.strip().lower()
    for use, pattern in _PATTERNS:
        if pattern.search(name):
            return use
    return ModelUse.CHAT


@dataclass(frozen=True)
class ModelList:
    """A server's models in the order a learner sees them: chat models, then the rest."""

    chat: tuple[str, ...] = ()
    other: tuple[str, ...] = ()

    @classmethod
    def of(cls, model_ids: Iterable[str]) -> ModelList:
        """The ids sorted into chat and other models, each group in the server's order,
        without repeats or blank names."""
        seen: dict[str, None] = dict.fromkeys(i.strip() for i in model_ids if i.strip())
        chat = tuple(i for i in seen if model_use(i) is ModelUse.CHAT)
        return cls(chat, tuple(i for i in seen if model_use(i) is not ModelUse.CHAT))

    @property
    def all(self) -> tuple[str, ...]:
        return self.chat + self.other

    def __contains__(self, model_id: object) -> bool:
        return model_id in self.chat or model_id in self.other

    def __len__(self) -> int:
        return len(self.chat) + len(self.other)

    def choice(self, preferred: str = "") -> str:
        """The model to fill in when the learner has chosen none: `preferred` (the
        provider's default) when listed, else the first chat model, else the only model
        listed; "" when there is nothing sensible to choose."""
        if preferred and preferred in self:
            return preferred
        if self.chat:
            return self.chat[0]
        if len(self.other) == 1:
            return self.other[0]  # a server with one model: it is the one, whatever its name
        return ""
