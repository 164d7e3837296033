"""The output contract: the record (``schema``) and the merged record (``merged``), the
pydantic models every output is validated against and ``schemas/*.json`` is generated from.
This package imports nothing else of ours."""
