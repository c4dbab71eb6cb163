"""seed form fields (004 附件1/2/7) and 004's rules read again

Enterprises gain the listing board (004 excludes some boards, not 北交所 or 新三板), 注册资本,
the leading product's category code and the 工业四基 kind; annual indicators gain R&D
institutions by level, standards by level over 近5年, foreign certifications and the leading
product's export share.

Contacts (附件6) can be corrected and replaced: a replaced contact keeps its row (history)
and names its successor; a mobile is unique among the current contacts of a task only.

Sichuan's key 小巨人 rule set is corrected in place (version 2021-sc-2 → 2021-sc-2.1): the old
rows misread the seed, they are not an earlier rule. A 第一批 重点小巨人 is excluded (004:10);
only the boards 004 names exclude (004:10); R&D ≥ 4% in each of the two years (004:383
"逐年计算"), not pooled.

Revision ID: 8d2e5b7c1a94
Revises: 3f8a1c6e2b71
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "8d2e5b7c1a94"
down_revision: str | None = "3f8a1c6e2b71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "registry"
SET_ID = "0193a000-0000-7000-8000-000000000004"

ENTERPRISE_COLUMNS = [
    sa.Column("listing_board", sa.String(20)),
    sa.Column("registered_capital", sa.Numeric(18, 2), comment="注册资本（万元）"),
    sa.Column(
        "main_product_category",
        sa.String(10),
        comment="主导产品类别代码（《统计用产品分类目录》）",
    ),
    sa.Column("four_basics_kind", sa.String(20)),
]
INDICATOR_COLUMNS = [
    sa.Column(name, sa.Integer())
    for name in (
        "rd_institutions_national",
        "rd_institutions_provincial",
        "standards_led_national",
        "standards_led_industry",
        "standards_joined_national",
        "standards_joined_industry",
        "foreign_certifications",
    )
] + [sa.Column("main_product_export_share", sa.Numeric(5, 2))]

NOT_FIRST_BATCH_KEY = {
    "code": "not_first_batch_key",
    "kind": "not_recognised",
    "required": True,
    "title": "申报对象：不含已申报成功第一批重点“小巨人”的企业",
    "params": {"tier": "key_little_giant", "batches": ["第一批"]},
    "source": "一、申报对象（一）……不含已申报成功第一批重点“小巨人”的企业",
    "interpretation": "以认定记录的批次“第一批”判断，含已撤销的认定（“已申报成功”）。",
}
EXCLUDED_BOARDS = ["sse_main", "sse_star", "szse_main", "szse_sme", "szse_chinext", "overseas"]


def _corrected(rules: list[dict]) -> list[dict]:
    out = []
    for rule in rules:
        rule = dict(rule)
        if rule["code"] == "not_listed":
            rule["params"] = {"excluded_boards": EXCLUDED_BOARDS}
            rule["interpretation"] = (
                "只排除原文列明的板块；北交所上市与新三板挂牌不排除。已上市而未填报板块的无法判断，按不符合处理。"
            )
        if rule["code"] == "rd_intensity":
            rule["params"] = {**rule["params"], "each_year": True}
            rule["title"] = "创新能力：近2年研发经费支出占营业收入比重4%以上（逐年计算）"
            rule["interpretation"] = "申报表注“研发经费支出占营业收入比重逐年计算”（004:383）：两年各自 ≥ 4%。"
        out.append(rule)
        if rule["code"] == "is_little_giant":
            out.append(NOT_FIRST_BATCH_KEY)
    return out


def upgrade() -> None:
    for column in ENTERPRISE_COLUMNS:
        op.add_column("enterprises", column, schema=SCHEMA)
    for column in INDICATOR_COLUMNS:
        op.add_column("annual_indicators", column, schema=SCHEMA)
    _rewrite("2021-sc-2.1", _corrected)
    op.add_column("contacts", sa.Column("replaced_by", sa.UUID()), schema=SCHEMA)
    op.add_column(
        "contacts", sa.Column("replaced_at", sa.DateTime(timezone=True)), schema=SCHEMA
    )
    op.drop_constraint(
        "uq_contacts_province_task_mobile_index", "contacts", schema=SCHEMA, type_="unique"
    )
    op.create_index(
        "uq_contacts_current_mobile",
        "contacts",
        ["province", "task", "mobile_index"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("replaced_by IS NULL"),
    )


def _restored(rules: list[dict]) -> list[dict]:
    out = []
    for rule in rules:
        if rule["code"] == NOT_FIRST_BATCH_KEY["code"]:
            continue
        rule = dict(rule)
        if rule["code"] == "not_listed":
            rule["params"] = {}
            rule.pop("interpretation", None)
        if rule["code"] == "rd_intensity":
            rule["params"] = {k: v for k, v in rule["params"].items() if k != "each_year"}
            rule["title"] = "创新能力：近2年研发经费支出占营业收入比重4%以上"
            rule["interpretation"] = "按两年研发经费合计 ÷ 两年营业收入合计计算。"
        out.append(rule)
    return out


def _rewrite(version: str, change) -> None:
    bind = op.get_bind()
    rules = bind.execute(
        sa.text(f"SELECT rules FROM {SCHEMA}.rule_sets WHERE id = :id"), {"id": SET_ID}
    ).scalar()
    if rules is not None:
        bind.execute(
            sa.text(
                f"UPDATE {SCHEMA}.rule_sets SET rules = :rules, version = :version WHERE id = :id"
            ).bindparams(sa.bindparam("rules", type_=JSONB)),
            {"rules": change(rules), "version": version, "id": SET_ID},
        )


def downgrade() -> None:
    op.drop_index("uq_contacts_current_mobile", "contacts", schema=SCHEMA)
    op.execute(f"DELETE FROM {SCHEMA}.contacts WHERE replaced_by IS NOT NULL")
    op.create_unique_constraint(
        "uq_contacts_province_task_mobile_index",
        "contacts",
        ["province", "task", "mobile_index"],
        schema=SCHEMA,
    )
    op.drop_column("contacts", "replaced_at", schema=SCHEMA)
    op.drop_column("contacts", "replaced_by", schema=SCHEMA)
    _rewrite("2021-sc-2", _restored)
    for column in INDICATOR_COLUMNS:
        op.drop_column("annual_indicators", column.name, schema=SCHEMA)
    for column in ENTERPRISE_COLUMNS:
        op.drop_column("enterprises", column.name, schema=SCHEMA)
