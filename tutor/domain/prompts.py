"""The system message that makes the model a conversation partner for one learner."""

from __future__ import annotations

from tutor.domain.levels import guide
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import Scenario

# Sent as the first user turn of every request: many chat templates (Mistral, Gemma)
# reject a conversation that starts with the assistant, and the partner speaks first.
OPENING_CUE = "(The learner has joined. Open the conversation.)"


def build_system_message(profile: LearnerProfile, scenario: Scenario) -> str:
    target = profile.target
    native = profile.native
    level = guide(profile.level)
    lines = [
        f"You are {scenario.partner_role}. You are talking with someone who is learning "
        f"{target.english_name} ({target.native_name}).",
    ]
    if scenario.partner_personality:
        lines.append(f"Your manner: {scenario.partner_personality}.")
    if scenario.learner_role:
        lines.append(f"The learner plays {scenario.learner_role}.")
    lines += [
        "",
        f"Situation: {scenario.setting}",
        "",
        f"The learner's level is {level.level.value} ({level.name}) on the CEFR scale: "
        f"{level.can_do}",
        f"How to speak: {level.partner_style}",
    ]
    if scenario.goals:
        lines += [
            "",
            "In this conversation the learner wants to practise these goals:",
            *(f"{number}. {goal}" for number, goal in enumerate(scenario.goals, 1)),
            "Steer the conversation so that each goal comes up naturally, one at a time. "
            "Give the learner the chance to do each one themselves: never do it for them, "
            "and never list the goals or mention that they are goals.",
        ]
    if scenario.vocabulary:
        lines.append("Where it fits, use words for: " + "; ".join(scenario.vocabulary) + ".")
    lines += [
        "",
        "Rules:",
        f"- Always write in {target.english_name}, even when the learner writes in another "
        f"language. If they seem lost, rephrase more simply in {target.english_name}.",
        "- Answer what the learner said, as a person would, then keep the conversation "
        "going, usually with one question.",
        "- Keep each reply short: two to four sentences, like a spoken turn.",
        "- Do not correct the learner's mistakes and do not explain grammar: a separate "
        "coach marks mistakes. Simply use the correct forms yourself.",
        "- Stay in your role. Plain text only: no lists, headings, tables or emoji strings.",
        f"- The learner's own language is {native.english_name}; never switch to it.",
        "",
    ]
    if scenario.opening:
        lines.append(
            f"When the conversation starts, open it in character, in {target.english_name}: "
            f"{scenario.opening}"
        )
    else:
        lines.append(
            "When the conversation starts, greet the learner and open the talk with a first "
            f"question, in {target.english_name}."
        )
    return "\n".join(lines)
