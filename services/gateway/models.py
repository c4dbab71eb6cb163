"""Every table of the gateway's read model (alembic's target): each source's part lives in
its own folder, with the handlers that keep it and the queries that read it."""

from __future__ import annotations

from gateway.auth import models as auth
from gateway.base import Base, kit_tables
from gateway.changes import models as changes
from gateway.diagnosis import models as diagnosis
from gateway.innovation import models as innovation
from gateway.registry import models as registry
from gateway.training import models as training
from gateway.webhooks import models as webhooks

__all__ = [
    "Base",
    "auth",
    "changes",
    "diagnosis",
    "innovation",
    "kit_tables",
    "registry",
    "training",
    "webhooks",
]
