"""Phrases as data (widgets.json: read-more labels, share / follow / newsletter prompts by language); a package so that the files install with the cleaners."""
