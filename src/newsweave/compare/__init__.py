"""How the sources of one event differ: aligned facts, conflicts, quote variants,
citations, copying, framing and a summary with citations."""
