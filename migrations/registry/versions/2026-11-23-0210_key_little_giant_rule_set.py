"""Rule set: 重点“小巨人” eligibility of seed 004 (四川省, 第二批).

Revision ID: 5a1d2c3b4e6f
Revises: 3cf0c9e84cfa
Create Date: 2026-11-23 02:10:00+00:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "5a1d2c3b4e6f"
down_revision: str | None = "3cf0c9e84cfa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCE = "川经信〔2021〕 关于开展“专精特新”中小企业高质量发展重点企业和服务平台（第二批）申报工作的通知"

RULES = [
    {
        "code": "is_little_giant", "kind": "holds_tier", "required": True,
        "title": "申报对象：国家级专精特新“小巨人”企业",
        "params": {"tier": "little_giant"},
        "source": "一、申报对象（一）第一批、第二批专精特新“小巨人”企业及进入第三批专精特新“小巨人”公示名单的企业",
    },
    {
        "code": "not_listed", "kind": "not_listed", "required": True,
        "title": "申报对象：不含已上市企业",
        "params": {},
        "source": "不含已在上交所主板、科创板和深交所主板、中小板、创业板，以及境外公开发行股票的企业",
    },
    {
        "code": "industry_orientation", "kind": "any_key_field", "required": True,
        "title": "产业导向",
        "params": {},
        "source": "二（一）1.产业导向方面。属于《工业“四基”发展目录》所列重点领域或制造强国战略十大重点产业领域；或主导产品属于关键领域“补短板”“锻长板”、关键核心技术攻关、填补国际国内空白；或与重点行业龙头企业协同创新。",
    },
    {
        "code": "main_business_share", "kind": "ratio_at_least", "required": True,
        "title": "专业化程度：主营业务收入占营业收入比重70%以上",
        "params": {"numerator": "main_business_revenue", "denominator": "revenue", "years": 1,
                   "threshold": 0.70, "label_zh": "主营业务收入占比",
                   "label_en": "Main business share of revenue"},
        "source": "二（一）2.专业化程度方面。主营业务收入占营业收入比重70%以上。",
        "interpretation": "“70%以上”按 ≥ 70% 计；取上一年度指标。",
    },
    {
        "code": "rd_intensity", "kind": "ratio_at_least", "required": True,
        "title": "创新能力：近2年研发经费支出占营业收入比重4%以上",
        "params": {"numerator": "rd_expense", "denominator": "revenue", "years": 2,
                   "threshold": 0.04, "label_zh": "近2年研发经费占营业收入比重",
                   "label_en": "R&D share of revenue over two years"},
        "source": "二（一）3.创新能力方面。截至上年末的近2年研发经费支出占营业收入比重4%以上",
        "interpretation": "按两年研发经费合计 ÷ 两年营业收入合计计算。",
    },
    {
        "code": "innovation_evidence", "kind": "any_count_at_least", "required": True,
        "title": "创新能力：发明专利、研发机构、标准三项满足其一",
        "params": {"alternatives": [
            {"fields": ["invention_patents"], "at_least": 2,
             "label_zh": "有效发明专利2项以上", "label_en": "at least 2 invention patents"},
            {"fields": ["rd_institutions"], "at_least": 1,
             "label_zh": "自建或联合建立研发机构", "label_en": "an R&D institution"},
            {"fields": ["standards_led", "standards_joined"], "at_least": 1,
             "label_zh": "主持或参与制（修）订标准1个以上", "label_en": "at least 1 standard led or joined"},
        ]},
        "source": "且满足以下三项条件之一：拥有有效发明专利2项以上、自建或与高校和科研机构联合建立研发机构、主持或参与制（修）订国际国家或行业标准1个以上。",
    },
    {
        "code": "quality_certification", "kind": "count_at_least", "required": True,
        "title": "经营管理：取得相关质量管理体系认证",
        "params": {"field": "quality_certifications", "at_least": 1,
                   "label_zh": "质量管理体系认证", "label_en": "Quality-system certifications"},
        "source": "二（一）4.经营管理方面。取得相关质量管理体系认证（如ISO9000质量管理体系、ISO14000环境管理体系认证等）。",
    },
    {
        "code": "growth_or_ipo", "kind": "growth_or_ipo", "required": False,
        "title": "成长性：上年主营业务收入增长，或有上市计划",
        "params": {"ipo_stages": ["applied", "tutoring"]},
        "source": "二（一）5.成长性方面。上年主营业务收入增长（不作为第二批申报条件）；或有上市计划（已递交申请书或已进入辅导期）。",
        "interpretation": "原文注明“不作为第二批申报条件”：本批次仅评价并展示，不影响是否符合条件。",
    },
]


def upgrade() -> None:
    table = sa.table(
        "rule_sets", sa.column("id", sa.UUID()), sa.column("code", sa.String()),
        sa.column("version", sa.String()), sa.column("jurisdiction", sa.String()),
        sa.column("effective_from", sa.Date()), sa.column("effective_until", sa.Date()),
        sa.column("title", sa.String()), sa.column("source", sa.String()),
        sa.column("rules", JSONB), schema="registry",
    )
    op.bulk_insert(table, [{
        "id": "0193a000-0000-7000-8000-000000000004",
        "code": "key_little_giant", "version": "2021-sc-2", "jurisdiction": "510000",
        # The seed gives no publication date; it asks for 2020 audited figures by 12 July.
        "effective_from": date(2021, 6, 1), "effective_until": None,
        "title": "四川省重点支持国家级专精特新“小巨人”企业申报条件（第二批）",
        "source": SOURCE, "rules": RULES,
    }])


def downgrade() -> None:
    op.execute("DELETE FROM registry.rule_sets WHERE code = 'key_little_giant'")
