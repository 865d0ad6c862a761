"""Extraction: the spaCy pipeline, the trigger lexicon, CAMEO coding,
arguments, mentions and dates."""
