"""Which language a document is written in, so rules that read English words run only on
English and the record says what it read.

lingua-language-detector: statistical n-gram models of 75 languages shipped in the wheel (no
download, no network), deterministic, and accurate on short and mixed texts, which is what a
dateline-and-lead news report is. Low-accuracy mode (trigrams only) is enough for texts of a
few hundred words and keeps memory under 100 MB.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

#: Characters read to decide: a report's language is settled well before this.
SAMPLE_CHARS = 20_000
#: Below this confidence the detector is said to be unsure (a warning in the record).
SURE = 0.5


@dataclass(frozen=True)
class Language:
    """A detected language: its ISO 639-1 code, its English name, and how sure the detector is."""

    code: str | None
    name: str
    confidence: float

    @property
    def is_english(self) -> bool:
        """Whether the text reads as English (a text of no detectable language counts as
        English, so the English rules still judge it as before)."""
        return self.code in (None, "en")


@cache
def _detector() -> LanguageDetector:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> Language:
    """The language most of ``text`` is written in (its first ``SAMPLE_CHARS`` characters)."""
    sample = text[:SAMPLE_CHARS]
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value <= 0.0:
        return Language(code=None, name="unknown", confidence=0.0)
    best = values[0]
    return Language(
        code=best.language.iso_code_639_1.name.lower(),
        name=best.language.name.capitalize(),
        confidence=round(best.value, 3),
    )
