"""Diagnosis enumerations with their Chinese labels (000 附件2/3; 001 附件1-1)."""

from __future__ import annotations

from kit.enums import LabelledEnum


class Kind(LabelledEnum):
    QUALITY = "quality", "质量诊断"
    MANAGEMENT = "management", "管理诊断"


class Mode(LabelledEnum):
    """001 附件1-1: 需要现场诊断辅导（期望时间：月） or 在线自我诊断，不需要现场诊断辅导."""

    ONSITE = "onsite", "现场诊断辅导"
    ONLINE = "online", "在线自我诊断"


class QualityFocus(LabelledEnum):
    """001 附件1-1's quality focus areas (001:75-78)."""

    BASIC = "basic", "质量管理基本能力"
    DIGITAL = "digital", "质量管理数字化"
    SUSTAINED_SUCCESS = "sustained_success", "持续成功能力"
    PERFORMANCE = "performance", "质量绩效"


class ManagementFocus(LabelledEnum):
    """001 附件1-1's management focus areas (001:81-83); 其他 carries its text."""

    STRATEGY = "strategy", "战略管理"
    HR = "hr", "人力资源"
    PRODUCTION = "production", "生产管理"
    SUPPLY_CHAIN = "supply_chain", "供应链管理"
    MARKETING = "marketing", "营销"
    DECISION_IMAGE = "decision_image", "决策及公共形象"
    OTHER = "other", "其他"


class State(LabelledEnum):
    REQUESTED = "requested", "已申请"
    ASSIGNED = "assigned", "已分派机构"
    SELF_ASSESSED = "self_assessed", "已完成自我评价"
    REVIEWED = "reviewed", "机构已复核"
    REPORTED = "reported", "已出具诊断报告"
    CONFIRMED = "confirmed", "单位已确认"
    SPOT_CHECKED = "spot_checked", "部级已抽查"
    CANCELLED = "cancelled", "已取消"


class Level(LabelledEnum):
    """The quality levels, in order (000:217: 经验级、检验级、保证级、预防级、卓越级)."""

    EXPERIENCE = "experience", "经验级"
    INSPECTION = "inspection", "检验级"
    ASSURANCE = "assurance", "保证级"
    PREVENTION = "prevention", "预防级"
    EXCELLENCE = "excellence", "卓越级"


class AcceptanceBody(LabelledEnum):
    """验收 by 专家评审会 or 第三方机构 (000:243)."""

    EXPERT_PANEL = "expert_panel", "专家评审会"
    THIRD_PARTY = "third_party", "第三方机构"


class AcceptanceResult(LabelledEnum):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"


class ActivityKind(LabelledEnum):
    """附件5 Q1 开展质量管理活动 (贯标培训 among them, 000:217) and M1 开展管理诊断活动."""

    QUALITY_STANDARD_TRAINING = "quality_standard_training", "贯标培训"
    QUALITY_ACTIVITY = "quality_activity", "质量管理活动"
    MANAGEMENT_ACTIVITY = "management_activity", "管理诊断活动"


class SurveyDimension(LabelledEnum):
    """What the enterprise rates (*interpreted*: the seeds name 服务满意度 only)."""

    ATTITUDE = "attitude", "服务态度"
    EXPERTISE = "expertise", "专业水平"
    REPORT = "report", "报告与建议的实用性"
    EFFECT = "effect", "诊断效果"
