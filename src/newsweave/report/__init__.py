"""The static HTML report: ``newsweave report --out DIR``."""
