"""Events and storylines: time-aware clustering of articles, online and in one batch."""

from newsweave.events.build import EventBuild, build_events
from newsweave.events.consolidate import ConsolidationConfig
from newsweave.events.online import ClusterInput, EventClusterer, EventConfig

__all__ = [
    "ClusterInput",
    "ConsolidationConfig",
    "EventBuild",
    "EventClusterer",
    "EventConfig",
    "build_events",
]
