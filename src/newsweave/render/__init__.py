"""Renderers: terminal tables and JSON."""
