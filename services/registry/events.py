"""Events the registry publishes (subjects ``zjtx.registry.<aggregate>.<event>``).

Event-carried state: ``data`` holds what consumers need, never PII (contacts' phones and
emails stay here); its models, which consumers parse, are published in ``contracts.registry``.
"""

from __future__ import annotations

SERVICE = "registry"

ENTERPRISE = "enterprise"  # registered, updated
INDICATOR = "indicator"  # recorded
RECOGNITION = "recognition"  # granted, revoked
INSTITUTION = "institution"  # registered, updated, qualification_verified, _rejected
CONTRACT = "contract"  # signed
CONTACT = "contact"  # registered, updated, replaced
