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


# 000 附1-3's 企业情况: the registry records them on an enterprise and publishes them in its
# events; training's 附1-3 export shows them from its replica.


class Title(LabelledEnum):
    """The ten titles of 000 附1-3 (national / provincial variants where the form has them)."""

    SINGLE_CHAMPION = "single_champion", "制造业单项冠军企业"
    HIGH_TECH = "high_tech", "高新技术企业"
    TECH_INNOVATION_DEMO_NATIONAL = "tech_innovation_demo_national", "技术创新示范企业（国家级）"
    TECH_INNOVATION_DEMO_PROVINCIAL = "tech_innovation_demo_provincial", "技术创新示范企业（省级）"
    IP_PILOT_NATIONAL = "ip_pilot_national", "工业企业知识产权运用试点企业（国家级）"
    IP_PILOT_PROVINCIAL = "ip_pilot_provincial", "工业企业知识产权运用试点企业（省级）"
    SMART_MANUFACTURING_NATIONAL = "smart_manufacturing_national", "智能制造试点示范企业（国家级）"
    SMART_MANUFACTURING_PROVINCIAL = (
        "smart_manufacturing_provincial",
        "智能制造试点示范企业（省级）",
    )
    GREEN_FACTORY = "green_factory", "绿色工厂"
    QUALITY_BENCHMARK = "quality_benchmark", "质量标杆"
    FOUNDATION_CATALOGUE = (
        "foundation_catalogue",
        "《产业基础领域先进技术产品转化应用目录》入编企业",
    )
    FIRST_SET_INSURANCE = "first_set_insurance", "享受国家首台（套）重大技术装备保险补偿试点政策"
    OTHER = "other", "其他"


class ListingBoard(LabelledEnum):
    """Where an enterprise's shares trade: 004 excludes some boards and not others
    (北交所 and 新三板 do not exclude), so the board is recorded, not a yes/no."""

    SSE_MAIN = "sse_main", "上交所主板"
    SSE_STAR = "sse_star", "上交所科创板"
    SZSE_MAIN = "szse_main", "深交所主板"
    SZSE_SME = "szse_sme", "深交所中小板"
    SZSE_CHINEXT = "szse_chinext", "深交所创业板"
    BSE = "bse", "北交所"
    NEEQ = "neeq", "新三板（全国中小企业股份转让系统）挂牌"
    OVERSEAS = "overseas", "境外上市"

    @property
    def listed(self) -> bool:
        """上市: every board but 新三板, where shares are quoted (挂牌), not listed."""
        return self is not ListingBoard.NEEQ


class IpoStage(LabelledEnum):
    NOT_RESTRUCTURED = "not_restructured", "未股改"
    RESTRUCTURED = "restructured", "已股改"
    TUTORING = "tutoring", "已进入上市辅导期"
    APPLIED = "applied", "已递交上市申请"


class IpoBoard(LabelledEnum):
    SSE_MAIN = "sse_main", "上交所主板"
    SSE_STAR = "sse_star", "上交所科创板"
    SZSE_MAIN = "szse_main", "深交所主板"
    SZSE_CHINEXT = "szse_chinext", "深交所创业板"
    BSE = "bse", "北交所"
