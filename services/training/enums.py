"""Training enumerations with their Chinese labels (seed 000 附件1 and 附1-1/1-2/1-3)."""

from __future__ import annotations

from kit.enums import LabelledEnum


class Period(LabelledEnum):
    """Plan periods and their filing due dates (000 附件1 §三(二), DESIGN.md §5)."""

    Y2025 = "2025", "2025年度（周期一年）"
    Y2026 = "2026", "2026年度（周期一年）"
    Y2027_2028 = "2027-2028", "2027至2028年度（周期两年）"


class PlanStatus(LabelledEnum):
    DRAFT = "draft", "编制中"
    FILED = "filed", "已填报"


class QuotaScope(LabelledEnum):
    """What an enterprise's trainee limit counts over: the plan's period (001: each person
    chooses one class) or each class on its own."""

    PLAN = "plan", "每个计划周期"
    CLASS = "class", "每个班次"


class ContentCategory(LabelledEnum):
    """培训内容 (000 附件1 §二(二)): every class needs the first two."""

    SCIENCE_THEORY = "science_theory", "科学理论"
    POLICY = "policy", "形势政策"
    MANAGEMENT = "management", "经营管理"
    SPECIALISED_DEVELOPMENT = "specialised_development", "专精特新发展"


class Course(LabelledEnum):
    """The 11 key courses of 附1-1 (培训重点课程)."""

    XI_ON_SMES = "xi_on_smes", "习近平总书记关于中小企业发展系列重要论述精神"
    NEW_INDUSTRIALISATION = "new_industrialisation", "中国特色新型工业化理论"
    LAWS_AND_POLICIES = "laws_and_policies", "中小企业法律法规政策体系"
    ENTREPRENEURSHIP = "entrepreneurship", "企业家精神"
    SPECIALISED_DEVELOPMENT = "specialised_development", "中小企业专精特新发展"
    FINANCING_AND_LISTING = "financing_and_listing", "中小企业融资上市"
    DIGITAL_TRANSFORMATION = "digital_transformation", "中小企业数字化转型"
    GREEN_DEVELOPMENT = "green_development", "中小企业绿色化发展"
    INTELLECTUAL_PROPERTY = "intellectual_property", "中小企业知识产权管理和保护"
    INTERNATIONALISATION = "internationalisation", "中小企业国际化发展"
    COMPLIANCE = "compliance", "中小企业合规管理"


class ClassKind(LabelledEnum):
    COMPREHENSIVE = "comprehensive", "综合班"
    THEMATIC = "thematic", "专题班"
    INDUSTRY = "industry", "行业班"


class OnsiteKind(LabelledEnum):
    """现场教学 (000 附件1 §二(三))."""

    BENCHMARK_STUDY = "benchmark_study", "标杆研学"
    ENTERPRISE_VISIT = "enterprise_visit", "企业参访"


class ClassStatus(LabelledEnum):
    SCHEDULED = "scheduled", "已排班"
    CLOSED = "closed", "已结班"


class AffiliationKind(LabelledEnum):
    """培训师资 (000 附件1 §二(四))."""

    GOVERNMENT = "government", "政府部门"
    UNIVERSITY = "university", "高等院校"
    RESEARCH = "research", "研究机构"
    ENTERPRISE = "enterprise", "优质企业"


class Gender(LabelledEnum):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(LabelledEnum):
    """教育背景（最高学历） of 附1-3."""

    DOCTORATE = "doctorate", "博士研究生"
    MASTER = "master", "硕士研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专及以下"


class Degree(LabelledEnum):
    """学位, the second half of 附1-3's 学历/学位 (a 学历 need not come with one)."""

    DOCTORATE = "doctorate", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "学士"
    NONE = "none", "无"


class EnrollmentState(LabelledEnum):
    APPLIED = "applied", "已报名"
    QUALIFIED = "qualified", "资格审核通过"
    CONFIRMED = "confirmed", "已录取"
    COMPLETED = "completed", "已结业"
    WITHDRAWN = "withdrawn", "已退出"
    REJECTED = "rejected", "未通过"


# A seat is taken from application until the enrollment ends badly.
ACTIVE_STATES = (
    EnrollmentState.APPLIED,
    EnrollmentState.QUALIFIED,
    EnrollmentState.CONFIRMED,
    EnrollmentState.COMPLETED,
)
