"""Diagnosis problems (problem+json, DESIGN.md §4): stable codes, Chinese and English."""

from __future__ import annotations

from kit.errors import Problem

PLAN_NOT_FOUND = Problem("PLAN_NOT_FOUND", 404, "诊断计划不存在", "Diagnosis plan not found")
PLAN_EXISTS = Problem(
    "PLAN_EXISTS",
    409,
    "单位 {unit} {year} 年的{kind}计划已存在，请修改原计划",
    "Unit {unit} already has a {kind_en} plan for {year}: update it",
)
ENGAGEMENT_NOT_FOUND = Problem(
    "ENGAGEMENT_NOT_FOUND", 404, "诊断服务记录不存在", "Diagnosis engagement not found"
)
ENGAGEMENT_EXISTS = Problem(
    "ENGAGEMENT_EXISTS",
    409,
    "该企业在{batch}已有进行中的{kind}",
    "The enterprise already has an open {kind_en} engagement in batch {batch}",
)
ENGAGEMENT_STATE = Problem(
    "ENGAGEMENT_STATE",
    409,
    "诊断服务当前为“{state}”，不能{action}",
    "The engagement is {state_en}: it cannot be {action_en}",
)
ENTERPRISE_UNKNOWN = Problem(
    "ENTERPRISE_UNKNOWN",
    422,
    "企业 {uscc} 不在企业库中",
    "Enterprise {uscc} is not in the registry",
)
ENTERPRISE_NOT_ELIGIBLE = Problem(
    "ENTERPRISE_NOT_ELIGIBLE",
    422,
    "企业在申请日（{on}）不是有效期内的专精特新“小巨人”企业",
    "On the request date ({on}) the enterprise is not a valid 'little giant'",
)
NOT_MANUFACTURING = Problem(
    "NOT_MANUFACTURING",
    422,
    "质量诊断面向制造业“小巨人”企业（国民经济行业分类门类 C，大类 13–43），该企业行业为 {industry}",
    "Quality diagnosis serves manufacturing enterprises (GB/T 4754 section C, classes 13–43):"
    " the enterprise's industry is {industry}",
)
INSTITUTION_NOT_ENGAGED = Problem(
    "INSTITUTION_NOT_ENGAGED",
    422,
    "该机构不是与本单位就{kind}（{batch}）签约且资质审核通过的服务机构",
    "The institution is not a qualified {kind_en} institution under contract with the unit"
    " for batch {batch}",
)
