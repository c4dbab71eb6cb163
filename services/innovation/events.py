"""Events the innovation service publishes (subjects ``zjtx.innovation.<aggregate>.<event>``).

``data`` carries the aggregate's state the gateway and provincial systems need, never a
contact's phone; its models are published in ``contracts.innovation``.
"""

from __future__ import annotations

SERVICE = "innovation"

SETTING = "setting"  # updated
DEMAND = "demand"  # submitted, pooled, declined, withdrawn, …
ROUND = "round"  # opened, closed
PROJECT = "project"  # in_service, milestone_completed, delivered, accepted
SURVEY = "survey"  # submitted
