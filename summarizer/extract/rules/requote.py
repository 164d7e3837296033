"""Stage: quotes the model wrote in its own words.

Asked for the report's exact words, the model sometimes writes its own: it translates a report
that is not in English into English, or paraphrases one. Such quotes are in no span of the
text, so every item they carry is dropped as ungrounded. When that happens to most of a pass's
quotes, ``model.requote`` asks the pass again with the report's language named; this rule
decides when, from counts alone, the same in any language.
"""

from __future__ import annotations

#: One quote missing among copied ones is a slip of the model, not its own words: no call.
MIN_UNFOUND = 2


def wrote_own_words(found: int, unfound: int) -> bool:
    """Whether the model wrote a pass's quotes in its own words: at least ``MIN_UNFOUND``
    different quotes are not in the text and they outnumber those that are."""
    return unfound >= MIN_UNFOUND and unfound > found
