"""The registry's events (``cn.zjtx.registry.<aggregate>.<event>.v1``): their ``data``.

Event-carried state: each holds what consumers need, never PII (contacts' phones and
emails stay in the registry).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer

from contracts.base import Payload
from contracts.vocabulary import InstitutionType, Task, Tier

Money = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]


class EnterprisePlace(Payload):
    """Where an enterprise is: all that replicas counting by region read of ``Enterprise``."""

    uscc: str
    region_code: str
    province: str


class Enterprise(EnterprisePlace):
    """``enterprise.registered`` / ``enterprise.updated``: the enterprise's public columns."""

    name: str
    industry_code: str
    niche_field: str | None
    main_product: str | None
    scale: str | None
    ownership: str | None
    employees: int | None
    website: str | None = None  # public (附1-3 公司网址); absent from events before it was
    listed: bool
    listing_board: str | None = None
    ipo_plan: dict[str, Any] | None
    titles: list[str]
    key_fields: list[str]
    four_basics_kind: str | None = None
    registered_on: date | None


class IndicatorRecorded(Payload):
    """``indicator.recorded``: a year's figures, each as its decimal text (null: not given)."""

    uscc: str
    year: int
    province: str
    revenue: str | None
    main_business_revenue: str | None
    profit: str | None
    total_assets: str | None
    debt_ratio: str | None
    taxes: str | None
    rd_expense: str | None
    invention_patents: str | None
    rd_institutions: str | None
    standards_led: str | None
    standards_joined: str | None
    quality_certifications: str | None


class Recognition(Payload):
    """``recognition.granted`` / ``recognition.revoked``."""

    id: uuid.UUID
    uscc: str
    tier: Tier
    batch: str
    authority: str
    authority_code: str | None = None  # 100000 (the ministry) or the filing unit
    document_number: str | None = None  # 认定文号
    recognized_on: date
    valid_from: date
    valid_until: date
    revoked_on: date | None
    region_code: str
    province: str


class Institution(Payload):
    """``institution.registered`` / ``institution.updated``."""

    id: uuid.UUID
    name: str
    uscc: str
    region_code: str
    province: str
    types: list[InstitutionType]
    platform_level: str | None
    qualified_types: list[InstitutionType]
    reviews: dict[InstitutionType, str]


class InstitutionReviewed(Institution):
    """``institution.qualification_verified`` / ``_rejected``: which type, and the decision."""

    type: InstitutionType
    review: str


class ContractSigned(Payload):
    """``contract.signed``: a province engaged an institution for a task (and batch)."""

    id: uuid.UUID
    institution_id: uuid.UUID
    institution_name: str
    province: str
    task: Task
    batch: str
    amount: Money | None
    signed_on: date


class ContactRegistered(Payload):
    """``contact.registered`` / ``updated`` / ``replaced`` (附件6): without the contact's
    phone or email; a replaced contact names its successor."""

    id: uuid.UUID
    province: str
    task: Task
    organisation: str | None
    name: str
    title: str | None
    replaced_by: uuid.UUID | None = None


# Every event the registry publishes, by ``<aggregate>.<event>``.
EVENTS: dict[str, type[Payload]] = {
    "enterprise.registered": Enterprise,
    "enterprise.updated": Enterprise,
    "indicator.recorded": IndicatorRecorded,
    "recognition.granted": Recognition,
    "recognition.revoked": Recognition,
    "institution.registered": Institution,
    "institution.updated": Institution,
    "institution.qualification_verified": InstitutionReviewed,
    "institution.qualification_rejected": InstitutionReviewed,
    "contract.signed": ContractSigned,
    "contact.registered": ContactRegistered,
    "contact.updated": ContactRegistered,
    "contact.replaced": ContactRegistered,
}

# What each event tells a provincial system, in its own words (``GET /webhooks/event-types``).
DESCRIPTIONS: dict[str, str] = {
    "enterprise.registered": "企业登记：企业库新增一家企业（逐个登记、文件导入或批量同步）",
    "enterprise.updated": "企业信息变更：名称、行业、规模、上市情况、称号等公开信息有修改",
    "indicator.recorded": "企业年度指标填报：某一年度的营业收入、利润、研发费用、专利、标准等指标",
    "recognition.granted": "梯度培育认定：企业获得创新型中小企业、专精特新中小企业、"
    "专精特新“小巨人”或重点“小巨人”认定",
    "recognition.revoked": "认定撤销：企业的一项认定被撤销（含撤销生效日期）",
    "institution.registered": "服务机构登记：机构库新增一家服务机构",
    "institution.updated": "服务机构信息变更",
    "institution.qualification_verified": "服务机构资质审核通过（某一机构类型）",
    "institution.qualification_rejected": "服务机构资质审核未通过（某一机构类型）",
    "contract.signed": "服务合同签订：单位与服务机构就一项任务（及批次）签订合同",
    "contact.registered": "联络人登记（附件6）：不含电话和电子邮箱",
    "contact.updated": "联络人信息更正（附件6）：不含电话和电子邮箱",
    "contact.replaced": "联络人更换（附件6）：原联络人由新联络人接替，事件指明接替者",
}
