"""Published contracts: the vocabulary every service speaks and the events each publishes.

One module per publishing service, never the service itself, so a consumer imports what it
reads without importing its publisher. Publishers build their ``data`` with these models and
consumers parse it with them; unknown keys are ignored, so a publisher may add a field
before its consumers read it.
"""
