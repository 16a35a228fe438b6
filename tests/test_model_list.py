"""A server's model list as the welcome offers it (tutor/domain/model_list.py): chat models
first, the others last, and the model Tutor fills in when the learner has chosen none."""

from __future__ import annotations

import pytest

from tests.openai_server import MIXED_MODELS
from tutor.domain.model_list import ModelList, ModelUse, model_use
from tutor.domain.providers import OPENAI_DEFAULT_MODEL, ProviderKind, preset


@pytest.mark.parametrize(
    ("model_id", "use"),
    [
        # OpenAI's list
        ("gpt-4o-mini", ModelUse.CHAT),
        ("gpt-4.1-nano", ModelUse.CHAT),
        ("o3-mini", ModelUse.CHAT),
        ("chatgpt-4o-latest", ModelUse.CHAT),
        ("text-embedding-3-small", ModelUse.EMBEDDING),
        ("text-embedding-ada-002", ModelUse.EMBEDDING),
        ("tts-1-hd", ModelUse.SPEECH),
        ("gpt-4o-mini-tts", ModelUse.SPEECH),
        ("gpt-4o-realtime-preview", ModelUse.SPEECH),
        ("gpt-4o-audio-preview", ModelUse.SPEECH),
        ("whisper-1", ModelUse.TRANSCRIPTION),
        ("gpt-4o-transcribe", ModelUse.TRANSCRIPTION),
        ("dall-e-3", ModelUse.IMAGE),
        ("gpt-image-1", ModelUse.IMAGE),
        ("omni-moderation-latest", ModelUse.MODERATION),
        ("text-moderation-stable", ModelUse.MODERATION),
        ("babbage-002", ModelUse.COMPLETION),
        ("davinci-002", ModelUse.COMPLETION),
        ("gpt-3.5-turbo-instruct", ModelUse.COMPLETION),
        # local servers (Ollama, LM Studio, llama.cpp, vLLM)
        ("llama3.2:3b", ModelUse.CHAT),
        ("qwen3:8b", ModelUse.CHAT),
        ("mistralai/Mistral-7B-Instruct-v0.3", ModelUse.CHAT),
        ("llama3.2-vision:11b", ModelUse.CHAT),
        ("nomic-embed-text:latest", ModelUse.EMBEDDING),
        ("text-embedding-nomic-embed-text-v1.5", ModelUse.EMBEDDING),
        ("mxbai-embed-large", ModelUse.EMBEDDING),
        ("all-minilm:l6-v2", ModelUse.EMBEDDING),
        ("bge-m3", ModelUse.EMBEDDING),
        ("Systran/faster-whisper-small", ModelUse.TRANSCRIPTION),
        ("kokoro-tts", ModelUse.SPEECH),
        ("llama-guard3:1b", ModelUse.MODERATION),
        # a word inside another word is not that word
        ("mattsmodel", ModelUse.CHAT),
        ("audiophile-chat", ModelUse.CHAT),
    ],
)
def test_what_a_model_is_for_is_read_from_its_name(model_id, use):
    assert model_use(model_id) is use


def test_chat_models_come_first_and_the_rest_after_in_the_servers_order():
    listed = ModelList.of(MIXED_MODELS)
    assert listed.chat == ("gpt-4o-mini", "llama3.2:3b")
    assert listed.all[:2] == listed.chat
    assert set(listed.other) == set(MIXED_MODELS) - set(listed.chat)
    assert list(listed.other) == [m for m in MIXED_MODELS if m in listed.other]
    assert len(listed) == len(MIXED_MODELS)


def test_repeats_and_blank_names_are_dropped():
    assert ModelList.of(["b", " ", "a", "b", ""]).all == ("b", "a")


def test_the_preferred_model_is_chosen_when_listed():
    listed = ModelList.of(["gpt-4o", "gpt-4o-mini", "whisper-1"])
    assert listed.choice(OPENAI_DEFAULT_MODEL) == "gpt-4o-mini"
    assert listed.choice("gpt-5") == "gpt-4o"  # not listed: the first chat model


def test_the_first_chat_model_is_chosen_never_an_embedding():
    assert ModelList.of(["all-minilm", "babbage-002", "qwen3:8b"]).choice() == "qwen3:8b"


def test_a_server_with_one_model_has_it_chosen_whatever_its_name():
    assert ModelList.of(["qwen2.5:0.5b"]).choice() == "qwen2.5:0.5b"
    assert ModelList.of(["nomic-embed-text"]).choice() == "nomic-embed-text"


def test_nothing_is_chosen_among_several_models_that_cannot_talk():
    assert ModelList.of(["tts-1", "whisper-1"]).choice() == ""
    assert ModelList.of([]).choice("gpt-4o-mini") == ""


def test_openai_has_a_default_chat_model_and_local_servers_none():
    assert preset(ProviderKind.OPENAI).default_model == OPENAI_DEFAULT_MODEL
    assert model_use(OPENAI_DEFAULT_MODEL) is ModelUse.CHAT
    assert preset(ProviderKind.OLLAMA).default_model == ""
