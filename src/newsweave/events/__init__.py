"""Events and storylines: online, time-aware clustering of articles."""

from newsweave.events.build import EventBuild, build_events
from newsweave.events.online import ClusterInput, EventClusterer, EventConfig

__all__ = ["ClusterInput", "EventBuild", "EventClusterer", "EventConfig", "build_events"]
