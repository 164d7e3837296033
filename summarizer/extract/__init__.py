"""The pipeline. ``steps`` lists every step in order; ``run`` runs it (in chunks for a long
document); ``state`` is the draft a document carries; ``model`` is the only code that calls a
model; ``rules`` are pure functions from draft to draft."""
