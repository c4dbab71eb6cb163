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
QUESTIONNAIRE_NOT_FOUND = Problem(
    "QUESTIONNAIRE_NOT_FOUND",
    404,
    "没有代码为 {code} 的{kind}问卷",
    "No {kind_en} questionnaire has the code {code}",
)
ANSWERS_INVALID = Problem(
    "ANSWERS_INVALID", 422, "自我评价的答案不完整或不符合题目", "The answers do not fit the items"
)
REPORT_NEEDS_VISIT = Problem(
    "REPORT_NEEDS_VISIT",
    409,
    "需要现场诊断的企业须先记录现场诊断，再出具报告",
    "An on-site engagement needs an on-site visit before its report",
)
REPORT_LEVEL = Problem(
    "REPORT_LEVEL",
    422,
    "质量诊断报告须给出质量能力等级，管理诊断报告不分等级",
    "A quality report gives a level; a management report has none",
)
KIND_MISMATCH = Problem(
    "KIND_MISMATCH", 409, "该操作仅适用于{kind}", "Only a {kind_en} engagement can be {action_en}"
)
CASE_EXISTS = Problem(
    "CASE_EXISTS", 409, "该诊断已列为典型案例", "The engagement is already a typical case"
)
VISIT_IN_FUTURE = Problem(
    "VISIT_IN_FUTURE", 422, "诊断日期 {day} 尚未到来", "The visit's date {day} has not come yet"
)
