"""Documents in (``load`` for text, ``formats`` for PDF, Word and web pages) and files out
(``files``: atomic writes that never land on one of the command's inputs)."""
