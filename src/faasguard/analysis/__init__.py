"""Analyses: pure functions over the application model and the source tree, returning facts."""
