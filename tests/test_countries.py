"""A government named by its capital or country is one party with its government."""

from __future__ import annotations

from summarizer.countries import fold_capitals
from summarizer.drafts import ActorDraft


def _drafts(*names: str) -> list[ActorDraft]:
    return [ActorDraft(name=n, aliases=[], role="other", actor_type="state") for n in names]


def _names(drafts: list[ActorDraft]) -> dict[str, list[str]]:
    return {d.name: d.aliases for d in drafts}


def test_a_capital_folds_into_its_government_and_not_into_another_actor() -> None:
    folded = fold_capitals(_drafts("Bosnian government", "Bosnian Serb forces", "Sarajevo"))
    assert _names(folded) == {"Bosnian government": ["Sarajevo"], "Bosnian Serb forces": []}


def test_country_names_capitals_and_possessives_are_matched_without_accents() -> None:
    folded = fold_capitals(
        _drafts("Ukraine\u2019s armed forces", "Kyiv", "Colombian army", "Bogota", "Russia")
    )
    assert _names(folded) == {
        "Ukraine\u2019s armed forces": ["Kyiv"],
        "Colombian army": ["Bogota"],
        "Russia": [],
    }


def test_a_capital_with_no_government_of_its_country_stays_a_party() -> None:
    # "Beijing" may be the only name a report gives China; a backer is not a government.
    folded = fold_capitals(
        _drafts("Myanmar government", "Beijing", "Russian-backed rebels", "Moscow")
    )
    assert [d.name for d in folded] == [
        "Myanmar government",
        "Beijing",
        "Russian-backed rebels",
        "Moscow",
    ]


def test_the_folded_actor_keeps_its_aliases_once() -> None:
    drafts = [
        ActorDraft(
            name="Syrian government", aliases=["the regime"], role="signatory", actor_type="state"
        ),
        ActorDraft(
            name="Damascus", aliases=["the regime", "Assad"], role="other", actor_type="state"
        ),
    ]
    assert _names(fold_capitals(drafts)) == {
        "Syrian government": ["the regime", "Damascus", "Assad"]
    }
