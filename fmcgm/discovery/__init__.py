"""Causal discovery: from data, from knowledge, from both, and from images of a world."""
