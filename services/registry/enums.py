"""Registry enumerations with their Chinese labels (seed 000 附1-3, seed 004 附件1)."""

from __future__ import annotations

from contracts.vocabulary import InstitutionType, Task, Tier
from kit.enums import LabelledEnum


class Scale(LabelledEnum):
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class Ownership(LabelledEnum):
    STATE = "state", "国有"
    JOINT = "joint", "合资"
    PRIVATE = "private", "民营"
    OTHER = "other", "其他"


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


class KeyField(LabelledEnum):
    """产业导向 of seed 004 §二(一)1."""

    FOUR_BASICS = "four_basics", "《工业“四基”发展目录》重点领域"
    TEN_SECTORS = "ten_sectors", "制造强国战略十大重点产业领域"
    SHORTCOMING = "shortcoming", "关键领域“补短板”"
    LONG_BOARD = "long_board", "关键领域“锻长板”"
    CORE_TECHNOLOGY = "core_technology", "关键核心技术攻关"
    GAP_FILLING = "gap_filling", "填补国际国内空白"
    LEADER_COLLABORATION = "leader_collaboration", "与重点行业龙头企业协同创新"


class FourBasicsKind(LabelledEnum):
    """《工业“四基”发展目录》's four parts (004 附件7 "《工业“四基”发展目录》所列重点领域")."""

    COMPONENTS = "components", "核心基础零部件（元器件）"
    MATERIALS = "materials", "关键基础材料"
    PROCESSES = "processes", "先进基础工艺"
    TECHNOLOGY_BASE = "technology_base", "产业技术基础"


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


class Review(LabelledEnum):
    """The unit's review of an institution's declared qualification conditions (资质审核)."""

    DECLARED = "declared", "待审核"
    VERIFIED = "verified", "审核通过"
    REJECTED = "rejected", "审核不通过"


class PlatformLevel(LabelledEnum):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"


ALL = (
    Tier,
    Scale,
    Ownership,
    Title,
    KeyField,
    IpoStage,
    IpoBoard,
    InstitutionType,
    Task,
    PlatformLevel,
    Review,
)
