"""Cue words, one module per language behind the same names. Only ``english`` exists: steps
that read it are marked English-only in ``extract.steps`` and skipped for other languages."""
