"""What a record becomes for people and tools: Markdown and the terminal table
(``render``), corpus tables (``export``) and the review page (``review``)."""
