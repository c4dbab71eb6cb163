"""Registry enumerations with their Chinese labels (seed 000 附1-3, seed 004 附件1)."""

from __future__ import annotations

from contracts.vocabulary import InstitutionType, Task, Tier

# 附1-3's enterprise vocabulary is published in the registry's events (the contracts): the
# registry's modules import it from here with the rest.
from contracts.vocabulary import IpoBoard as IpoBoard
from contracts.vocabulary import IpoStage as IpoStage
from contracts.vocabulary import ListingBoard as ListingBoard
from contracts.vocabulary import Title as Title
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
    FourBasicsKind,
    ListingBoard,
    IpoStage,
    IpoBoard,
    InstitutionType,
    Task,
    PlatformLevel,
    Review,
)
