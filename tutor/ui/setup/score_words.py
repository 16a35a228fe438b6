"""A coach scorecard in words: the line shown where the coach model is chosen, the plan
before a run, the figures while it runs and the result after it (score_dialog.py).

Numbers, percentages and dates go through tutor.i18n.formats, so "71%" is "71 %" in
French and "٪71" in Arabic, and "6 Dec 2026" is written as the interface language does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tutor.i18n.formats import format_date, format_number, format_percent, language_name
from tutor.i18n.translate import _, ngettext
from tutor.ui.widgets.bidi import isolate

if TYPE_CHECKING:
    from tutor.domain.coach_score import Scorecard, TokenCounts
    from tutor.services.coach_score import ScorePlan, ScoreProgress

NO_FIGURE = "—"
"""A figure that is not defined yet: precision before the coach marked anything."""


def percent(value: float | None, decimals: int = 0) -> str:
    """A share from 0 to 1 as a percentage, or a dash while it is not defined."""
    return NO_FIGURE if value is None else format_percent(value, decimals=decimals)


def figure_line(card: Scorecard) -> str:
    """'On Italian learner texts: precision 71%, recall 58%, measured 6 Dec 2026'."""
    line = _(
        "On {language} learner texts: precision {precision}, recall {recall}, measured {date}"
    ).format(
        language=language_name(card.language),
        precision=percent(card.counts.precision),
        recall=percent(card.counts.recall),
        date=format_date(card.measured_at),
    )
    if card.complete:
        return line
    # Translators: after a scorecard's line when the run was cancelled or stopped early.
    return _("{line} (partial: {sentences})").format(line=line, sentences=sentences(card.sentences))


def figure_lines(cards: Sequence[Scorecard]) -> list[str]:
    """One line a language, newest first (`cards` come newest first): its newest complete
    run, or its newest partial one while none is complete (a run cancelled after a few
    sentences does not hide a whole one)."""
    chosen: dict[str, Scorecard] = {}
    for card in cards:
        kept = chosen.get(card.language)
        if kept is None or (card.complete and not kept.complete):
            chosen[card.language] = card
    newest_first = sorted(chosen.values(), key=lambda card: card.measured_at, reverse=True)
    return [figure_line(card) for card in newest_first]


def sentences(count: int) -> str:
    return ngettext("{count} sentence", "{count} sentences", count).format(
        count=format_number(count)
    )


def tokens(count: int) -> str:
    return ngettext("{count} token", "{count} tokens", count).format(count=format_number(count))


def requests(count: int) -> str:
    return ngettext("{count} request", "{count} requests", count).format(count=format_number(count))


def price_text(price: float | None) -> str:
    if price is None:
        return _("price unknown for this server")
    decimals = 2 if price >= 0.01 else 4
    # Translators: an estimated price in US dollars.
    return _("about {price} US dollars").format(price=format_number(price, decimals=decimals))


def plan_text(plan: ScorePlan) -> str:
    """What a run will cost before it starts: requests, tokens and price."""
    total = plan.estimated_prompt_tokens + plan.estimated_completion_tokens
    return _(
        "{sentences} checked by {model}: {requests} ({parallel} at a time), about "
        "{tokens}, {price}."
    ).format(
        sentences=sentences(plan.sentences),
        model=isolate(plan.model),  # a Latin name inside an Arabic sentence keeps its place
        requests=requests(plan.requests),
        parallel=format_number(plan.parallel),
        tokens=tokens(total),
        price=price_text(plan.price),
    )


def progress_text(progress: ScoreProgress) -> str:
    """The figures so far, under the progress bar."""
    text = _("{done} of {total} sentences: precision {precision}, recall {recall}").format(
        done=format_number(progress.done),
        total=format_number(progress.total),
        precision=percent(progress.counts.precision),
        recall=percent(progress.counts.recall),
    )
    if not progress.failed:
        return text
    return f"{text}; {failures(progress.failed)}"


def failures(count: int) -> str:
    return ngettext("{count} failed", "{count} failed", count).format(count=format_number(count))


def duration(seconds: float) -> str:
    if seconds < 90:
        whole = max(1, round(seconds))
        return ngettext("{count} second", "{count} seconds", whole).format(
            count=format_number(whole)
        )
    minutes = round(seconds / 60)
    return ngettext("{count} minute", "{count} minutes", minutes).format(
        count=format_number(minutes)
    )


def headline(counts: TokenCounts) -> list[tuple[str, str]]:
    """The three figures, each with its name, as the result shows them large: with a
    decimal, as the command line prints them and the published reference is written."""
    return [
        (_("Precision"), percent(counts.precision, 1)),
        (_("Recall"), percent(counts.recall, 1)),
        # Translators: the F0.5 score (precision weighted twice as much as recall).
        (_("F0.5"), percent(counts.f05, 1)),
    ]


def details(card: Scorecard) -> str:
    """Sentences, tokens, requests, failures, time and tokens used, on one line."""
    used = (
        tokens((card.prompt_tokens or 0) + (card.completion_tokens or 0))
        if card.prompt_tokens is not None or card.completion_tokens is not None
        else _("not reported by the server")
    )
    return _("{sentences} ({tokens}), {requests}, {failed}, {time}; tokens used: {used}").format(
        sentences=sentences(card.sentences),
        tokens=tokens(card.tokens),
        requests=requests(card.requests),
        failed=failures(card.failed),
        time=duration(card.seconds),
        used=used,
    )


def reference_text(reference_f05: float | None) -> str:
    if reference_f05 is None:
        return _("No published figure for these texts to compare with.")
    return _("Best published F0.5 on these texts: {figure} (MultiGED-2023).").format(
        figure=format_percent(reference_f05 / 100, decimals=2)
    )


def meaning_text() -> str:
    """What the numbers say and what they do not, in one line."""
    return _(
        "Precision: how many of the coach's marks were real mistakes. Recall: how many "
        "of the mistakes people labelled it found. These are written essays, not a chat: "
        "a model that does well here can still be wrong about one of your messages."
    )


def partial_text(card: Scorecard) -> str:
    return _("Stopped early: these figures cover only the {sentences} checked.").format(
        sentences=sentences(card.sentences)
    )
