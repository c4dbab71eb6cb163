"""The registry's part of the read model: the shared replica (``kit.registry_replica``) and
the tier and enterprise counts derived from it.

Tier counts are kept as day deltas per scope and tier: +1 on the first day an enterprise
holds a tier, -1 on the day it stops. The count on any date is the sum of deltas up to it,
so the overview costs O(scopes × tiers × distinct dates), never a scan of enterprises.
"""

from __future__ import annotations

from datetime import date

from kit import registry_replica
from kit.registry_replica import RegistryReplica
from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.base import Base


class EnterpriseReplica(registry_replica.Enterprise, Base):
    pass


class RecognitionReplica(registry_replica.Recognition, Base):
    pass


class InstitutionReplica(registry_replica.Institution, Base):
    pass


class ContractReplica(registry_replica.Contract, Base):
    pass


REPLICA = RegistryReplica(
    EnterpriseReplica, RecognitionReplica, InstitutionReplica, ContractReplica
)


class TierDelta(Base):
    """Change in the number of enterprises holding ``tier`` in ``scope`` on ``day``."""

    __tablename__ = "tier_deltas"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    tier: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    delta: Mapped[int] = mapped_column(Integer)


class RegionCount(Base):
    """Enterprises registered per province and per city (kept by the consumer, read by the
    overview)."""

    __tablename__ = "region_counts"

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    enterprises: Mapped[int] = mapped_column(Integer)
