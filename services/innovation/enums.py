"""Innovation enumerations with their Chinese labels (000 附件4; 001 附件1-3)."""

from __future__ import annotations

from kit.enums import LabelledEnum


class Category(LabelledEnum):
    """001 附件1-3 需求类别 (one or more; 000:281 names the same six services)."""

    RD = "rd", "技术研发"
    PROOF_OF_CONCEPT = "proof_of_concept", "概念验证"
    PILOT = "pilot", "小试中试"
    TESTING = "testing", "检验检测"
    COMMERCIALIZATION = "commercialization", "成果转化"
    IP = "ip", "知识产权"


class DemandState(LabelledEnum):
    SUBMITTED = "submitted", "已提交"
    POOLED = "pooled", "已入需求库"
    DECLINED = "declined", "未入库"
    SELECTED = "selected", "已遴选"
    NOT_SELECTED = "not_selected", "未遴选"
    IN_SERVICE = "in_service", "服务中"
    DELIVERED = "delivered", "已交付"
    ACCEPTED = "accepted", "已验收"
    WITHDRAWN = "withdrawn", "已撤回"


class RoundState(LabelledEnum):
    OPEN = "open", "遴选中"
    CLOSED = "closed", "已结束"


class ProjectState(LabelledEnum):
    IN_SERVICE = "in_service", "服务中"
    DELIVERED = "delivered", "已交付"
    ACCEPTED = "accepted", "已验收"


class AcceptanceBody(LabelledEnum):
    EXPERT_PANEL = "expert_panel", "专家评审会"
    THIRD_PARTY = "third_party", "第三方机构"


class AcceptanceResult(LabelledEnum):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"
