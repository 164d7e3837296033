"""Scoring of extraction records against hand-labelled gold files."""
