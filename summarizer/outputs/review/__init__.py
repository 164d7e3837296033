"""Review: the HTML page an analyst reads a record on and corrects it in, and gold files.

``page`` builds the self-contained page (and an index of many); ``gold`` checks a gold file
the page saved against its document and files it for ``summarizer eval``.
"""

from __future__ import annotations

from summarizer.outputs.review.gold import gold_problems, import_gold
from summarizer.outputs.review.page import IndexEntry, index_page, review_page

__all__ = ["IndexEntry", "gold_problems", "import_gold", "index_page", "review_page"]
