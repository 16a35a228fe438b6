"""The rules of a request's shape: output caps sized for each job, what a server's refusal
says, what Tutor sends after it, and where that is kept (pure, and the habits file)."""

from __future__ import annotations

import json

import pytest

from tutor.domain.levels import Level
from tutor.domain.output_caps import (
    CONNECTION_CHECK_TOKENS,
    LARGEST_CAP,
    REASONING_ROOM,
    coach_cap,
    partner_cap,
    summary_cap,
)
from tutor.domain.profile import LearnerProfile
from tutor.domain.request_fit import (
    MIN_BUDGET_TOKENS,
    estimated_window,
    fit_messages,
    fold_system_message,
    history_budget,
    request_tokens,
)
from tutor.domain.server_habits import (
    CapParameter,
    ServerHabits,
    after_refusal,
    first_cap_parameter,
    request_parameters,
)
from tutor.domain.server_refusals import Refusal, RefusalKind, read_refusal
from tutor.store.server_habits import HabitsFile

LOCAL = "http://localhost:11434/v1"
OPENAI = "https://api.openai.com/v1"


def profile(level: Level = Level.A2, target: str = "es", native: str = "en") -> LearnerProfile:
    return LearnerProfile(target, level, native)


# ------------------------------------------------------------------------- caps


def test_the_partners_cap_is_a_spoken_turn_that_grows_with_the_level():
    caps = [partner_cap(profile(level)) for level in Level]
    assert caps == sorted(caps) and len(set(caps)) > 3
    assert caps[0] >= 100 and caps[-1] <= 500  # a few hundred tokens at most


def test_scripts_that_cost_more_tokens_get_a_larger_cap():
    spanish, japanese, hindi = (partner_cap(profile(Level.B1, t)) for t in ("es", "ja", "hi"))
    assert spanish < japanese < hindi
    assert summary_cap(profile(native="en")) < summary_cap(profile(native="th"))


def test_the_coachs_cap_grows_with_the_learners_text_and_stays_bounded():
    short = coach_cap("Hola, me llamo Ana.", profile())
    longer = coach_cap("Ayer fui al parque con mis amigos y comimos helado. " * 10, profile())
    assert CONNECTION_CHECK_TOKENS < short < longer <= LARGEST_CAP
    assert coach_cap("palabra " * 1000, profile()) == LARGEST_CAP


def test_a_model_that_reasons_gets_room_for_its_thinking():
    plain, reasoning = ServerHabits(), ServerHabits(reasons=True)
    assert plain.cap_for(200) == 200
    assert reasoning.cap_for(200) == 200 + REASONING_ROOM
    assert ServerHabits(reasons=True, cap_limit=1000).cap_for(200) == 1000


# ------------------------------------------------------------- the cap's form


def test_openai_is_sent_max_completion_tokens_first_and_other_servers_max_tokens():
    assert first_cap_parameter(OPENAI) is CapParameter.MAX_COMPLETION_TOKENS
    for other in (LOCAL, "http://127.0.0.1:8080/v1", "https://openrouter.ai/api/v1"):
        assert first_cap_parameter(other) is CapParameter.MAX_TOKENS
    assert request_parameters(ServerHabits.first_for(OPENAI), 200, 0) == {
        "max_completion_tokens": 200,
        "temperature": 0,
    }
    assert request_parameters(ServerHabits.first_for(LOCAL), 200) == {"max_tokens": 200}


def _after(habits: ServerHabits, refusal: Refusal, base_url: str = LOCAL) -> ServerHabits | None:
    return after_refusal(habits, refusal, base_url=base_url, sent_tokens=3000, sent_cap=200)


def test_a_refused_cap_form_gives_the_other_form_then_none():
    refused = Refusal(RefusalKind.PARAMETER, "max_tokens")
    second = _after(ServerHabits.first_for(LOCAL), refused)
    assert second is not None and second.cap_parameter is CapParameter.MAX_COMPLETION_TOKENS
    third = _after(second, Refusal(RefusalKind.PARAMETER, "max_completion_tokens"))
    assert third is not None and third.cap_parameter is CapParameter.NONE
    assert request_parameters(third, 200) == {}
    assert _after(third, refused) is None  # nothing left to try
    # OpenAI: the other way round.
    first = ServerHabits.first_for(OPENAI)
    other = _after(first, Refusal(RefusalKind.PARAMETER, "max_completion_tokens"), OPENAI)
    assert other is not None and other.cap_parameter is CapParameter.MAX_TOKENS


def test_a_refused_temperature_and_system_role_are_dropped_once():
    habits = _after(ServerHabits(), Refusal(RefusalKind.PARAMETER, "temperature"))
    assert habits is not None and request_parameters(habits, 10, 0) == {"max_tokens": 10}
    assert _after(habits, Refusal(RefusalKind.PARAMETER, "temperature")) is None
    folded = _after(ServerHabits(), Refusal(RefusalKind.SYSTEM_ROLE))
    assert folded is not None and not folded.system_role
    assert _after(folded, Refusal(RefusalKind.SYSTEM_ROLE)) is None


def test_a_cap_too_large_is_lowered_to_what_the_model_takes():
    habits = _after(ServerHabits(), Refusal(RefusalKind.CAP_TOO_LARGE, "max_tokens", limit=128))
    assert habits is not None and habits.cap_for(200) == 128
    halved = _after(ServerHabits(), Refusal(RefusalKind.CAP_TOO_LARGE, "max_tokens"))
    assert halved is not None and halved.cap_for(200) == 100


def test_a_context_refusal_learns_the_window_and_the_budget_leaves_room_for_each_cap():
    told = _after(ServerHabits(), Refusal(RefusalKind.CONTEXT_LENGTH, limit=2048))
    assert told is not None and told.context_tokens == 2048
    assert told.history_budget(200) == (2048 - 200) * 3 // 4
    assert told.history_budget(1000) == (2048 - 1000) * 3 // 4  # a larger cap, less history
    assert ServerHabits().history_budget(200) is None  # not known: the settings' budget
    # The server counted more tokens than Tutor estimated: the window is scaled down.
    said = Refusal(RefusalKind.CONTEXT_LENGTH, limit=4096, counted_tokens=6000)
    counted = _after(ServerHabits(), said)
    assert counted is not None and counted.context_tokens == 4096 * 3000 // 6000
    # Not said: half of what was sent fits, with the cap.
    untold = _after(ServerHabits(), Refusal(RefusalKind.CONTEXT_LENGTH))
    assert untold is not None and untold.context_tokens == 1500 + 200
    # Never larger than what was learned before.
    smaller = _after(ServerHabits(context_tokens=900), Refusal(RefusalKind.CONTEXT_LENGTH))
    assert smaller is not None and smaller.context_tokens == 900
    assert smaller.history_budget(2000) == MIN_BUDGET_TOKENS
    # A cap taking most of a tiny window is lowered too.
    tiny = _after(ServerHabits(), Refusal(RefusalKind.CONTEXT_LENGTH, limit=300))
    assert tiny is not None and tiny.cap_for(200) == 75


def test_the_window_estimate_and_the_budget_in_it():
    assert estimated_window(1000, 200, context_tokens=4096) == 4096
    assert estimated_window(1000, 200, 4096, counted_tokens=2000) == 2048
    assert estimated_window(1000, 200, 4096, counted_tokens=800) == 4096
    assert estimated_window(1000, 200) == 700
    assert history_budget(1200, 200) == 750
    assert history_budget(150, 200) == MIN_BUDGET_TOKENS


# ------------------------------------------------------------ what servers say


def _refusal(text, status=400, param=None, code=None, sent=("max_tokens", "temperature")):
    return read_refusal(status, text, param=param, code=code, sent=sent, has_system=True)


@pytest.mark.parametrize(
    ("text", "param", "status", "named"),
    [
        (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "max_tokens",
            400,
            "max_tokens",
        ),
        (  # the same without a param field: the name said first is the one refused
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            None,
            400,
            "max_tokens",
        ),
        (
            "Unsupported value: 'temperature' does not support 0 with this model. "
            "Only the default (1) value is supported.",
            "temperature",
            400,
            "temperature",
        ),
        (
            '{"detail": [{"type": "extra_forbidden", "loc": ["body", "max_tokens"], '
            '"msg": "Extra inputs are not permitted"}]}',
            None,
            422,
            "max_tokens",
        ),
    ],
)
def test_a_refused_parameter_is_named(text, param, status, named):
    assert _refusal(text, status, param) == Refusal(RefusalKind.PARAMETER, named)


def test_an_unrecognized_argument_is_the_one_tutor_sent():
    said = "Unrecognized request argument supplied: max_completion_tokens"
    refusal = _refusal(said, sent=("max_completion_tokens",))
    assert refusal == Refusal(RefusalKind.PARAMETER, "max_completion_tokens")
    assert _refusal(said, sent=("max_tokens",)) is None  # not what was sent


def test_a_cap_larger_than_the_model_writes_is_read_with_its_limit():
    said = (
        "max_tokens is too large: 8292. This model supports at most 4096 completion "
        "tokens, whereas you provided 8292."
    )
    assert _refusal(said, param="max_tokens") == Refusal(
        RefusalKind.CAP_TOO_LARGE, "max_tokens", limit=4096
    )


@pytest.mark.parametrize(
    "text",
    [
        "System role not supported",
        "Conversation roles must alternate user/assistant/user/assistant/...",
        "Only user and assistant roles are supported!",
    ],
)
def test_a_refused_system_role_is_read(text):
    assert _refusal(text) == Refusal(RefusalKind.SYSTEM_ROLE)
    assert read_refusal(400, text, has_system=False) is None


@pytest.mark.parametrize(
    ("text", "code", "window", "counted"),
    [
        (
            "This model's maximum context length is 4096 tokens. However, your messages "
            "resulted in 5200 tokens. Please reduce the length of the messages.",
            "context_length_exceeded",
            4096,
            5200,
        ),
        (  # vLLM
            "This model's maximum context length is 2048 tokens. However, you requested "
            "2300 tokens (2100 in the messages, 200 in the completion). Please reduce the "
            "length of the messages or completion.",
            None,
            2048,
            2100,
        ),
        (  # llama.cpp, with its counts in the error's body
            '{"code": 400, "message": "the request exceeds the available context size, '
            'try increasing it", "type": "exceed_context_size_error", '
            '"n_prompt_tokens": 5000, "n_ctx": 4096}',
            None,
            4096,
            5000,
        ),
        ("the request exceeds the available context size, try increasing it", None, None, None),
    ],
)
def test_a_context_too_long_is_read_with_the_window_when_said(text, code, window, counted):
    assert _refusal(text, code=code) == Refusal(
        RefusalKind.CONTEXT_LENGTH, limit=window, counted_tokens=counted
    )


def test_what_tutor_cannot_act_on_is_no_refusal():
    assert (
        _refusal(
            "Invalid parameter: 'response_format' of type 'json_schema' is not "
            "supported with this model.",
            param="response_format",
        )
        is None
    )
    assert _refusal("Invalid request.") is None
    assert _refusal("Incorrect API key provided: max_tokens", status=401) is None
    assert _refusal("Request too large for model on tokens per minute (TPM): context", 413) is None


# ---------------------------------------------------------- fitting a request


SYSTEM = {"role": "system", "content": "Eres un compañero de conversación. " * 20}


def turns(count: int) -> list[dict[str, str]]:
    roles = ("user", "assistant")
    return [
        {"role": roles[i % 2], "content": f"Turno {i}: " + "palabra " * 40} for i in range(count)
    ]


def test_fitting_leaves_out_the_oldest_turns_and_keeps_the_system_message():
    request = [SYSTEM, *turns(20)]
    fitted = fit_messages(request, 800)
    assert fitted[0] == SYSTEM
    assert fitted[1]["role"] == "user"
    assert fitted[-1] == request[-1]
    assert request_tokens(fitted) <= 800 < request_tokens(request)
    assert fitted[1:] == request[len(request) - len(fitted) + 1 :]
    assert fit_messages(request, 100_000) == request


def test_fitting_keeps_the_newest_turn_and_the_learners_turn_before_it_whatever_the_budget():
    request = [SYSTEM, *turns(6)]  # ends with the partner's turn
    fitted = fit_messages(request, 1)
    assert [m["content"] for m in fitted] == [
        SYSTEM["content"],
        *[m["content"] for m in request[-2:]],
    ]


def test_the_system_message_is_folded_into_the_first_user_turn():
    request = [
        SYSTEM,
        {"role": "user", "content": "Hola"},
        {"role": "assistant", "content": "¡Hola!"},
    ]
    assert fold_system_message(request) == [
        {"role": "user", "content": SYSTEM["content"] + "\n\nHola"},
        {"role": "assistant", "content": "¡Hola!"},
    ]
    assert request[1]["content"] == "Hola"  # the request itself is left as it was
    alone = fold_system_message([SYSTEM, {"role": "assistant", "content": "¿Sí?"}])
    assert alone == [
        {"role": "user", "content": SYSTEM["content"]},
        {"role": "assistant", "content": "¿Sí?"},
    ]
    assert fold_system_message(request[1:]) == request[1:]


# ------------------------------------------------------------- the habits file


def test_habits_are_kept_per_server_and_model_across_restarts(tmp_path):
    path = tmp_path / "server-habits.json"
    learned = ServerHabits(CapParameter.MAX_COMPLETION_TOKENS, temperature=False, reasons=True)
    HabitsFile(path).remember(LOCAL + "/", "qwen3", learned)
    again = HabitsFile(path)
    assert again.recall(LOCAL, "qwen3") == learned
    assert again.recall(LOCAL, "llama3.2") is None
    assert again.recall("http://localhost:1234/v1", "qwen3") is None
    assert json.loads(path.read_text())["servers"][LOCAL]["qwen3"]["cap_parameter"] == (
        "max_completion_tokens"
    )


def test_an_unreadable_habits_file_is_learned_again_and_a_bad_value_leniently_read(tmp_path):
    path = tmp_path / "server-habits.json"
    path.write_text("{not json")
    assert HabitsFile(path).recall(LOCAL, "m") is None
    path.write_text(
        json.dumps(
            {
                "servers": {
                    LOCAL: {
                        "m": {
                            "cap_parameter": "max_something",
                            "temperature": "no",
                            "context_tokens": -5,
                            "system_role": False,
                        }
                    }
                }
            }
        )
    )
    assert HabitsFile(path).recall(LOCAL, "m") == ServerHabits(system_role=False)


def test_a_habits_file_that_cannot_be_written_keeps_them_for_this_run(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    habits = HabitsFile(not_a_folder / "server-habits.json")  # every write fails
    habits.remember(LOCAL, "m", ServerHabits(system_role=False))
    assert habits.recall(LOCAL, "m") == ServerHabits(system_role=False)
