"""Events the training service publishes (subjects ``zjtx.training.<aggregate>.<event>``).

``data`` carries what the gateway and the provincial systems need, never a trainee's ID
number, phone or email; its models are published in ``contracts.training``.
"""

from __future__ import annotations

SERVICE = "training"

TEACHER = "teacher"  # registered
PLAN = "plan"  # created, filed, amended
CLASS = "class"  # scheduled, closed
TRAINEE = "trainee"  # registered
ENROLLMENT = "enrollment"  # applied, qualified, confirmed, completed, withdrawn, rejected
CERTIFICATE = "certificate"  # issued
SURVEY = "survey"  # submitted
