"""Events the diagnosis service publishes (subjects ``zjtx.diagnosis.<aggregate>.<event>``).

``data`` carries the aggregate's state the gateway and provincial systems need, never a
contact's phone or email; its models are published in ``contracts.diagnosis``.
"""

from __future__ import annotations

SERVICE = "diagnosis"

PLAN = "plan"  # created, updated
ENGAGEMENT = "engagement"  # requested, assigned, self_assessed, reviewed, reported, …
ACCEPTANCE = "acceptance"  # recorded
ACTIVITY = "activity"  # recorded
SURVEY = "survey"  # submitted
