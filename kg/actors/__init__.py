"""Actors: the gazetteer, resolution of surface forms to actors, and minting of unknown ones."""
