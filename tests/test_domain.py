"""The pure rules: languages, levels, the system message, request history, providers, settings."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.domain.conversation import (
    ChatMessage,
    MessageState,
    Role,
    estimate_tokens,
    request_messages,
)
from tutor.domain.languages import (
    PRACTICE_LANGUAGE_CODES,
    language,
    language_from_langcodes,
    native_languages,
    practice_languages,
)
from tutor.domain.levels import Level, all_guides, guide
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import OPENING_CUE, build_system_message
from tutor.domain.providers import (
    MAX_KEY_LENGTH,
    ProviderKind,
    check_api_key,
    check_base_url,
    check_model_name,
    kind_for_base_url,
)
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.settings import (
    SETTINGS_VERSION,
    ProviderSettings,
    Settings,
    SettingsError,
    WindowState,
    settings_from_dict,
)
from tutor.i18n.translate import use_language

# --------------------------------------------------------------------- languages


def test_at_least_twenty_practice_languages_each_with_a_native_name():
    languages = practice_languages()
    assert len(languages) >= 20
    assert len({lang.code for lang in languages}) == len(languages)
    for lang in languages:
        assert lang.native_name.strip(), lang
        assert lang.english_name.strip(), lang
        assert lang.label.strip()


def test_practice_languages_are_sorted_by_english_name_in_english():
    names = [lang.english_name for lang in practice_languages()]
    assert names == sorted(names)


@pytest.fixture
def korean() -> Iterator[None]:
    use_language("ko")
    try:
        yield
    finally:
        use_language("en")


def test_in_korean_a_language_is_named_in_korean_beside_its_own_name(korean):
    assert language("es").label == "Español (스페인어)"
    assert language("ko").label == "한국어"  # its own name once
    assert language("en").label == "English (영어)"


def test_in_korean_languages_are_sorted_by_their_korean_names(korean):
    names = [lang.interface_name for lang in native_languages()]
    assert names == sorted(names)  # Hangul syllables sort in code point order
    assert names[:3] == ["그리스어", "네덜란드어", "노르웨이어(보크말)"]
    assert practice_languages()[0].label == "Ελληνικά (그리스어)"


def test_accented_names_sort_beside_their_bare_letters():
    use_language("fr")
    try:
        names = [lang.interface_name for lang in practice_languages()]
        # By code point "é" follows every bare letter; French readers look for it under "e".
        assert names.index("Hébreu") < names.index("Hindi")
        assert names.index("Néerlandais") < names.index("Norvégien bokmål")
    finally:
        use_language("en")


def test_native_languages_include_every_practice_language():
    native_codes = {lang.code for lang in native_languages()}
    assert {lang.code for lang in practice_languages()} <= native_codes


@pytest.mark.parametrize("code", ["ar", "he", "fa", "ur"])
def test_arabic_hebrew_persian_urdu_are_right_to_left(code):
    assert code in PRACTICE_LANGUAGE_CODES
    assert language(code).right_to_left


@pytest.mark.parametrize("code", ["ja", "zh", "ko"])
def test_japanese_chinese_korean_are_offered_and_left_to_right(code):
    assert code in {lang.code for lang in practice_languages()}
    assert not language(code).right_to_left
    assert language(code).native_name.strip()


@pytest.mark.parametrize("code", ["es", "en", "ru", "el", "hi", "th"])
def test_other_scripts_are_left_to_right(code):
    assert not language(code).right_to_left


def test_language_names_in_english_and_in_themselves():
    spanish = language("es")
    assert spanish.english_name == "Spanish"
    assert spanish.native_name == "Español"
    assert spanish.label == "Español (Spanish)"
    assert language("en").label == "English"


@pytest.mark.parametrize("code", ["xx-invalid!", "", "not a code", "qaa", "und"])
def test_unknown_language_code_raises_value_error(code):
    with pytest.raises(ValueError):
        language(code)


# ------------------------------------------------------------------------ levels


def test_six_level_guides_a1_to_c2_with_one_line_can_do():
    guides = all_guides()
    assert [g.level.value for g in guides] == ["A1", "A2", "B1", "B2", "C1", "C2"]
    for g in guides:
        assert g.can_do.strip()
        assert "\n" not in g.can_do
        assert g.partner_style.strip()
        assert g.name.strip()
    assert len({g.partner_style for g in guides}) == 6


# ----------------------------------------------------------------------- prompts


def _profile(target="es", level=Level.A2, native="ko"):
    return LearnerProfile(target, level, native)


def test_system_message_names_language_level_style_and_native_language():
    text = build_system_message(_profile(), FREE_CONVERSATION)
    assert "Spanish" in text
    assert "A2" in text
    assert guide(Level.A2).partner_style in text
    assert "Korean" in text
    assert "Do not correct the learner's mistakes" in text
    assert FREE_CONVERSATION.setting in text


def test_system_message_differs_per_level():
    messages = {
        level: build_system_message(_profile(level=level), FREE_CONVERSATION) for level in Level
    }
    assert len(set(messages.values())) == len(Level)
    for level, text in messages.items():
        assert guide(level).partner_style in text
        for other in Level:
            if other is not level:
                assert guide(other).partner_style not in text


# ------------------------------------------------------------------ conversation

SYSTEM = "You are a partner."
_WHEN = datetime(2024, 5, 1, tzinfo=UTC)


def _msg(i, role, text, state=MessageState.COMPLETE):
    return ChatMessage(i, 1, role, text, _WHEN, state)


def _chat(*turns):
    """Messages from (role, text) or (role, text, state) tuples."""
    return [_msg(i, *turn) for i, turn in enumerate(turns, start=1)]


U, A = Role.USER, Role.ASSISTANT


def test_empty_history_is_system_then_opening_cue():
    assert request_messages(SYSTEM, [], 6000) == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": OPENING_CUE},
    ]


def test_short_history_keeps_order_after_system_and_cue():
    history = _chat((A, "¡Hola!"), (U, "Hola, soy Ana."), (A, "¿De dónde eres?"), (U, "De Seúl."))
    assert request_messages(SYSTEM, history, 6000) == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": OPENING_CUE},
        {"role": "assistant", "content": "¡Hola!"},
        {"role": "user", "content": "Hola, soy Ana."},
        {"role": "assistant", "content": "¿De dónde eres?"},
        {"role": "user", "content": "De Seúl."},
    ]


def test_failed_and_empty_messages_are_dropped_and_same_roles_merged():
    history = _chat(
        (A, "¡Hola!"),
        (U, "Primero"),
        (A, "", MessageState.FAILED),
        (A, "   \n", MessageState.CUT_OFF),
        (U, "Segundo"),
        (A, "Error text", MessageState.FAILED),
        (U, "Tercero"),
    )
    result = request_messages(SYSTEM, history, 6000)
    assert result[2:] == [
        {"role": "assistant", "content": "¡Hola!"},
        {"role": "user", "content": "Primero\n\nSegundo\n\nTercero"},
    ]


def test_cut_off_reply_with_text_is_kept():
    history = _chat((A, "¡Hola!"), (U, "Hola"), (A, "Me gusta", MessageState.CUT_OFF))
    assert request_messages(SYSTEM, history, 6000)[-1] == {
        "role": "assistant",
        "content": "Me gusta",
    }


def test_trimming_drops_oldest_turns_and_starts_with_a_user_turn():
    long = "palabra " * 300  # about 600 tokens
    history = _chat((A, long), (U, long), (A, long), (U, "¿Y tú?"))
    result = request_messages(SYSTEM, history, 700)
    assert result[0] == {"role": "system", "content": SYSTEM}
    assert result[1:] == [{"role": "user", "content": "¿Y tú?"}]


def test_newest_turn_is_kept_even_when_it_alone_is_over_budget():
    huge = "文" * 5000
    result = request_messages(SYSTEM, _chat((A, "Hola"), (U, huge)), 500)
    assert result == [{"role": "system", "content": SYSTEM}, {"role": "user", "content": huge}]


def test_newest_partner_turn_over_budget_still_follows_a_user_turn():
    # A retry after a cut-off reply: the newest turn is the partner's and fills the budget.
    long = "vale " * 400
    history = _chat((A, "Hola"), (U, "Cuéntame algo"), (A, long, MessageState.CUT_OFF))
    result = request_messages(SYSTEM, history, 500)
    assert result == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "Cuéntame algo"},
        {"role": "assistant", "content": long},
    ]


_TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="日本語中文한국어漢字かなカナ", max_size=200),
    st.text(alphabet="abc ,.¿?ñé\n\t", max_size=400),
    st.sampled_from(["", " ", "\n\n", "Hola", "こんにちは" * 40]),
)
_HISTORIES = st.lists(
    st.tuples(st.sampled_from(list(Role)), _TEXTS, st.sampled_from(list(MessageState))),
    max_size=25,
)


def _reference_turns(history):
    """What request_messages should consider: cue, non-failed non-empty turns, merged."""
    turns = [{"role": "user", "content": OPENING_CUE}]
    for role, text, state in history:
        if not text.strip() or state is MessageState.FAILED:
            continue
        if turns[-1]["role"] == role.value:
            turns[-1] = {"role": role.value, "content": turns[-1]["content"] + "\n\n" + text}
        else:
            turns.append({"role": role.value, "content": text})
    return turns


def _cost(system, turns):
    return estimate_tokens(system) + sum(estimate_tokens(t["content"]) for t in turns)


@settings(max_examples=300, deadline=None)
@given(history=_HISTORIES, budget=st.integers(min_value=0, max_value=3000), system=_TEXTS)
def test_request_messages_invariants(history, budget, system):
    messages = [_msg(i, role, text, state) for i, (role, text, state) in enumerate(history)]
    result = request_messages(system, messages, budget)
    turns = _reference_turns(history)
    kept = result[1:]

    assert result[0] == {"role": "system", "content": system}
    assert all(m["role"] in ("user", "assistant") for m in kept)
    assert kept, "the newest turn is never dropped"
    assert kept[-1] == turns[-1]
    assert kept[0]["role"] == "user"
    assert all(a["role"] != b["role"] for a, b in itertools.pairwise(kept))
    # What is kept is the newest part of the history, in order.
    assert kept == turns[len(turns) - len(kept) :]
    if _cost(system, turns) <= budget:
        assert kept == turns
        assert kept[0]["content"].startswith(OPENING_CUE)
    if len(kept) < len(turns):
        # Over budget only for the turns that are never dropped ...
        assert _cost(system, kept) <= budget or len(kept) <= 2
        # ... and no more dropped than needed: one more exchange would not fit.
        assert _cost(system, turns[len(turns) - len(kept) - 2 :]) > budget


def test_estimate_tokens_counts_cjk_characters_about_one_each():
    base = estimate_tokens("")
    assert estimate_tokens("日本語" * 100) - base == 300
    assert estimate_tokens("中文" * 50) - base == 100
    assert estimate_tokens("한국어" * 10) - base == 30
    latin = estimate_tokens("a" * 400) - base
    assert 80 <= latin <= 120  # about four characters a token


# --------------------------------------------------------------------- providers


def _is_sentence(message: str) -> bool:
    return message[:1].isupper() and message.rstrip().endswith((".", "?")) and " " in message


def test_base_url_is_normalised():
    assert check_base_url("http://localhost:11434/v1") == "http://localhost:11434/v1"
    assert check_base_url("  http://localhost:11434/v1/  ") == "http://localhost:11434/v1"
    assert check_base_url("https://api.openai.com/v1") == "https://api.openai.com/v1"
    assert check_base_url("http://[::1]:8080/v1") == "http://[::1]:8080/v1"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ftp://x",
        "localhost:11434",
        "http://local host/v1",
        "http://localhost:11434/v1 extra",
        "http://",
        "http://h:99999/v1",
        "http://h:0/v1",
        "http://h:port/v1",
        "http://h/v1?key=1",
        "http://h/v1?",
        "http://h/v1#top",
        "http://[::1/v1",
        "http://h/" + "a" * 5000,
    ],
)
def test_bad_base_urls_are_refused_with_a_sentence(text):
    with pytest.raises(ValueError) as caught:
        check_base_url(text)
    assert _is_sentence(str(caught.value)), str(caught.value)


def test_api_key_is_trimmed_and_only_required_when_asked():
    assert check_api_key("  sk-abc123  ", required=True) == "sk-abc123"
    assert check_api_key("", required=False) == ""
    assert check_api_key("  \n", required=False) == ""
    with pytest.raises(ValueError) as caught:
        check_api_key("", required=True)
    assert _is_sentence(str(caught.value))


@pytest.mark.parametrize(
    "text",
    ["sk-abc def", "sk-abc\ndef", "sk-abc\tdef", "ключ-abc", "sk-abc\u200bdef", "x" * 5000],
)
@pytest.mark.parametrize("required", [True, False])
def test_bad_api_keys_are_refused(text, required):
    with pytest.raises(ValueError) as caught:
        check_api_key(text, required=required)
    assert _is_sentence(str(caught.value))


def test_api_key_at_the_length_limit_is_accepted():
    assert check_api_key("k" * MAX_KEY_LENGTH, required=True) == "k" * MAX_KEY_LENGTH
    with pytest.raises(ValueError):
        check_api_key("k" * (MAX_KEY_LENGTH + 1), required=True)


def test_model_names():
    assert check_model_name("  qwen2.5:7b-instruct  ") == "qwen2.5:7b-instruct"
    assert check_model_name("gpt-4o-mini") == "gpt-4o-mini"
    for bad in ["", "   ", "a\nb", "a\tb", "m" * 300]:
        with pytest.raises(ValueError) as caught:
            check_model_name(bad)
        assert _is_sentence(str(caught.value))


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://api.openai.com/v1", ProviderKind.OPENAI),
        ("http://localhost:11434/v1", ProviderKind.OLLAMA),
        ("http://localhost:11434/v1/", ProviderKind.OLLAMA),
        ("http://localhost:1234/v1", ProviderKind.LM_STUDIO),
        ("http://localhost:8080/v1", ProviderKind.LLAMA_CPP),
        ("http://gpu-box:8000/v1", ProviderKind.CUSTOM),
        ("", ProviderKind.CUSTOM),
    ],
)
def test_kind_for_base_url(url, kind):
    assert kind_for_base_url(url) is kind


# ---------------------------------------------------------------------- settings


def _full_settings():
    return Settings(
        provider=ProviderSettings(ProviderKind.OLLAMA, "http://localhost:11434/v1", "llama3.2"),
        learner=LearnerProfile("ja", Level.B1, "pt"),
        window=WindowState(geometry="AdnQywADAAA=", splitter="AAAA/wAAAAE="),
        context_budget_tokens=8000,
    )


def test_settings_round_trip_through_json():
    original = _full_settings()
    data = json.loads(json.dumps(original.to_dict()))
    assert data["version"] == SETTINGS_VERSION
    restored = settings_from_dict(data)
    assert restored == original
    assert restored.is_complete


def test_default_settings_round_trip():
    restored = settings_from_dict(json.loads(json.dumps(Settings().to_dict())))
    assert restored == Settings()
    assert not restored.is_complete


def _good_dict():
    return json.loads(json.dumps(_full_settings().to_dict()))


def _without_version():
    data = _good_dict()
    del data["version"]
    return data


def _changed(path, value):
    data = _good_dict()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "data",
    [
        _without_version(),
        _changed(("version",), SETTINGS_VERSION + 1),
        _changed(("version",), "1"),
        _changed(("version",), 0),
        [1, 2, 3],
        "settings",
        None,
        _changed(("provider",), "ollama"),
        _changed(("provider",), []),
        _changed(("provider", "kind"), "skynet"),
        _changed(("provider", "base_url"), 11434),
        _changed(("provider", "model"), None),
        _changed(("learner", "level"), "D1"),
        _changed(("learner", "level"), 3),
        _changed(("learner", "target_language"), ["es"]),
        _changed(("learner", "target_language"), "xx-invalid!"),
        _changed(("learner", "native_language"), "ja"),
        _changed(("context_budget_tokens",), "6000"),
        _changed(("context_budget_tokens",), 10),
        _changed(("context_budget_tokens",), 6000.5),
    ],
)
def test_unusable_settings_raise_settings_error(data):
    with pytest.raises(SettingsError) as caught:
        settings_from_dict(data)
    assert str(caught.value)


def test_newer_settings_version_is_named_in_the_error():
    with pytest.raises(SettingsError, match="newer"):
        settings_from_dict(_changed(("version",), SETTINGS_VERSION + 1))


def test_learner_profile_validated():
    profile = LearnerProfile("es", Level.A1, "ko")
    assert profile.validated() is profile
    with pytest.raises(ValueError, match="same"):
        LearnerProfile("es", Level.A1, "es").validated()
    with pytest.raises(ValueError):
        LearnerProfile("xx-invalid!", Level.A1, "ko").validated()


def test_credentials_in_the_address_are_refused():
    import pytest

    from tutor.domain.providers import check_base_url

    with pytest.raises(ValueError, match="API key"):
        check_base_url("http://user:secret@localhost:8080/v1")


def test_a_boolean_is_not_a_settings_version():
    import pytest

    from tutor.domain.settings import SettingsError, settings_from_dict

    with pytest.raises(SettingsError):
        settings_from_dict({"version": True})


def test_a_streaming_reply_starts_at_its_first_word():
    from tutor.domain.conversation import StreamingReply

    reply = StreamingReply(message_id=1, request_id=1, model="m")
    for piece in ["\n\n", " ", " Hola", " amigo"]:
        reply.add(piece)
    assert reply.text == "Hola amigo"
    assert reply.take_unpainted() == "Hola amigo"


@pytest.mark.parametrize(
    "code",
    sorted(set(PRACTICE_LANGUAGE_CODES) | {lang.code for lang in native_languages()} | {"tl"}),
)
def test_the_start_up_table_says_what_langcodes_says(code):
    """Offered languages come from a table (langcodes costs 170 ms of start-up): each row
    must match langcodes, so a langcodes update that renames one fails here."""
    assert language(code) == language_from_langcodes(code)


def test_tags_tutor_does_not_offer_still_resolve_through_langcodes():
    brazilian = language("pt-BR")
    assert brazilian.english_name == "Portuguese (Brazil)"
    assert brazilian.native_name.startswith("Português")
    assert language("yi").right_to_left  # Yiddish: Hebrew script


def test_georgian_is_not_written_with_a_capital():
    assert language("ka").native_name == "ქართული"
