"""The web app and REST API (``newsweave serve``)."""
