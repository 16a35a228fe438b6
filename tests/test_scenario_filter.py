"""Finding a scenario: search without case or accents in English and the learner's own
language, level and category filters, counts, the empty list's words, Surprise me, and
the id of a copy."""

from __future__ import annotations

import random

from tutor.domain.levels import Level
from tutor.domain.scenario_filter import (
    ALL,
    ScenarioSearch,
    category_label,
    fold,
    haystack,
    own_copy,
)
from tutor.domain.scenarios import Category, Scenario, ScenarioText

CAFE = Scenario(
    id="cafe-order",
    title="Ordering at a café",
    partner_role="a waiter",
    setting="A café.",
    description="Order a coffee and a pastry.",
    category=Category.FOOD,
    levels=(Level.A1, Level.A2),
    goals=("Order a drink", "Pay"),
    vocabulary=("the bill",),
    translations={"es": ScenarioText("Pedir en una cafetería", "Pide un café.", ())},
)
TICKET = Scenario(
    id="bus-ticket",
    title="Buying a bus ticket",
    partner_role="a ticket seller",
    setting="A bus station.",
    category=Category.TRAVEL,
    levels=(Level.B1,),
)
MINE = Scenario(
    id="my-own",
    title="My landlord",
    partner_role="a landlord",
    setting="A flat.",
    category=Category.MINE,
    built_in=False,
)


def test_fold_drops_case_and_accents():
    assert fold("CAFÉ Crème") == "cafe creme"
    assert fold("Straße") == "strasse"


def test_the_haystack_holds_english_vocabulary_and_the_learners_own_language():
    found = haystack(CAFE, "es")
    assert "ordering at a cafe" in found and "the bill" in found
    assert "pedir en una cafeteria" in found
    assert "pedir" not in haystack(CAFE, "fr")


def test_categories_list_all_then_those_present_then_mine_always():
    assert ScenarioSearch([TICKET, CAFE], "en").category_keys() == [
        ALL,
        Category.TRAVEL.value,
        Category.FOOD.value,
        Category.MINE.value,
    ]
    assert category_label(ALL) == "All scenarios"
    assert category_label(Category.MINE.value) == "My scenarios"


def test_search_level_and_category_filter_and_counts_follow_search_and_level():
    search = ScenarioSearch([CAFE, TICKET, MINE], "es")
    everything = search.filter("", None, ALL)
    assert everything.shown == [CAFE, TICKET, MINE]
    assert everything.counts == {ALL: 3, "travel": 1, "food": 1, "mine": 1}

    typed = search.filter("  CAFETERÍA  ", None, ALL)  # the Spanish title, any case
    assert typed.shown == [CAFE]
    assert typed.counts == {ALL: 1, "travel": 0, "food": 1, "mine": 0}

    assert search.filter("bus ticket", None, ALL).shown == [TICKET]
    assert search.filter("bus coffee", None, ALL).shown == []  # every word must be found

    at_b1 = search.filter("", Level.B1, "travel")
    assert at_b1.shown == [TICKET]
    assert at_b1.counts[ALL] == 3 - 1  # the café is A1-A2; mine suits every level
    assert search.filter("", None, "food").shown == [CAFE]


def test_the_empty_list_says_why_and_what_to_do():
    search = ScenarioSearch([CAFE], "en")
    assert search.empty_message(" zebra ", ALL, None) == "No scenario matches “zebra”."
    at_c1 = search.empty_message("zebra", ALL, Level.C1)
    assert at_c1 == "No scenario matches “zebra” at level C1."
    assert search.empty_message("", "mine", None).startswith("You have no scenarios of your own")
    assert search.empty_message("", "food", Level.C2) == "No scenario here suits level C2."
    assert search.empty_message("", "food", None) == "No scenario here."
    with_mine = ScenarioSearch([CAFE, MINE], "en")
    assert with_mine.empty_message("", "mine", Level.C2) == "No scenario here suits level C2."


def test_surprise_draws_from_those_shown_else_from_all_at_the_level():
    search = ScenarioSearch([CAFE, TICKET], "en")
    assert search.surprise(random.Random(1), [TICKET], Level.A1) is TICKET
    assert search.surprise(random.Random(1), [], Level.A2) is CAFE
    assert search.surprise(random.Random(1), [], Level.C2) is None
    drawn = {search.surprise(random.Random(seed), [], None) for seed in range(20)}
    assert drawn == {CAFE, TICKET}


def test_a_copy_is_the_learners_own_under_a_free_id():
    copy = own_copy(CAFE, {"cafe-order"})
    assert copy.id == "cafe-order-mine"
    assert (copy.category, copy.built_in, copy.version) == (Category.MINE, False, 1)
    assert copy.title == CAFE.title
    assert own_copy(CAFE, {"cafe-order-mine", "cafe-order-mine-2"}).id == "cafe-order-mine-3"
    long = Scenario(id="a" * 48, title="Long", partner_role="p", setting="s")
    assert len(own_copy(long, set()).id) <= 48
    assert len(own_copy(long, {"a" * 43 + "-mine"}).id) <= 48
