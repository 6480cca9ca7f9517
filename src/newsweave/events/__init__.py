"""Events and storylines: time-aware clustering of articles, online and in one batch."""

from newsweave.events.build import build_events
from newsweave.events.consolidate import ConsolidationConfig
from newsweave.events.online import ClusterInput, EventClusterer, EventConfig
from newsweave.model import EventBuild

__all__ = [
    "ClusterInput",
    "ConsolidationConfig",
    "EventBuild",
    "EventClusterer",
    "EventConfig",
    "build_events",
]
