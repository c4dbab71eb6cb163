"""Enumerations more than one service speaks of (in events, replicas and their own rules)."""

from __future__ import annotations

from collections.abc import Iterable

from kit.enums import LabelledEnum


class Tier(LabelledEnum):
    """The tiers of 优质中小企业."""

    INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
    SPECIALIZED_SME = "specialized_sme", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”企业"
    KEY_LITTLE_GIANT = "key_little_giant", "重点“小巨人”企业"


# The valid 小巨人: a 重点“小巨人” also holds 小巨人 (DESIGN.md §5), so every count of them
# (coverage denominators, eligibility) takes both tiers, an enterprise holding both once.
LITTLE_GIANTS = (Tier.LITTLE_GIANT, Tier.KEY_LITTLE_GIANT)


def holding(tiers: Iterable[str]) -> list[str]:
    """The recognitions' tiers that hold one of ``tiers``: 小巨人 is held by a 重点“小巨人” too."""
    held = list(dict.fromkeys(tiers))
    if Tier.LITTLE_GIANT in held and Tier.KEY_LITTLE_GIANT not in held:
        held.append(Tier.KEY_LITTLE_GIANT.value)
    return held


class InstitutionType(LabelledEnum):
    TRAINING = "training", "培训机构"
    QUALITY_DIAGNOSIS = "quality_diagnosis", "质量诊断机构"
    MANAGEMENT_DIAGNOSIS = "management_diagnosis", "管理诊断机构"
    INNOVATION_SERVICE = "innovation_service", "技术创新服务机构"
    PUBLIC_SERVICE_PLATFORM = "public_service_platform", "中小企业公共服务示范平台"


class Task(LabelledEnum):
    """The programme's four tasks (contracts and 附件6 contacts)."""

    TRAINING = "training", "人才培训"
    QUALITY_DIAGNOSIS = "quality_diagnosis", "质量诊断"
    MANAGEMENT_DIAGNOSIS = "management_diagnosis", "管理诊断"
    INNOVATION = "innovation", "技术创新"
