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
ACCEPTANCE_EXISTS = Problem(
    "ACCEPTANCE_EXISTS",
    409,
    "该机构在本单位{batch}的{kind}已验收",
    "The institution's {kind_en} work in batch {batch} has been accepted already",
)
ACCEPTANCE_ENGAGEMENTS = Problem(
    "ACCEPTANCE_ENGAGEMENTS",
    422,
    "验收只能涵盖该机构在本单位本批次、报告已确认的{kind}",
    "An acceptance covers the institution's confirmed {kind_en} engagements of the unit and batch",
)
ACCEPTANCE_AWARD = Problem(
    "ACCEPTANCE_AWARD",
    422,
    "验收不通过的不予奖补（奖补应为 0）",
    "A failed acceptance awards nothing (the award is 0)",
)
ACTIVITY_ENTERPRISES = Problem(
    "ACTIVITY_ENTERPRISES",
    422,
    "参加活动的企业须为本单位企业库中的企业",
    "The enterprises that took part are the unit's, in the registry",
)
ACTIVITY_IN_FUTURE = Problem(
    "ACTIVITY_IN_FUTURE", 422, "活动日期 {day} 尚未到来", "The activity's date {day} has not come"
)
SURVEY_EXISTS = Problem(
    "SURVEY_EXISTS", 409, "该诊断已评价", "The engagement has been rated already"
)
