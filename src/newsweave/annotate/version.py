"""The annotators' version, stored with each article's annotations.

Bump it when the annotators change, so ``newsweave annotate`` redoes old ones. It has its own
module so that code comparing versions (the API, kept comparisons) loads no NLP model.
"""

VERSION = 5
