"""Annotation: actors, quotes, numbers, dates, actions and attributions, each with its span."""
