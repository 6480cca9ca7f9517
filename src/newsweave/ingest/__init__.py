"""Ingestion: one module per input kind, plus normalisation and dedup.

Import from the modules (``newsweave.ingest.pipeline``, ``.sources``, ``.options``): the
package itself loads nothing, so that ``import newsweave`` stays light.
"""
