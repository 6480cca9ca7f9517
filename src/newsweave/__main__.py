"""``python -m newsweave``."""

from newsweave.cli import main

main()
