"""Text, with no model and no cue words: sentences with offsets (``segment``), quote
alignment (``align``), spans, folding, similarity of names and clauses, and which language a
text is in (``language``)."""
