"""Training problem types (stable codes; Chinese and English messages)."""

from __future__ import annotations

from kit.errors import Problem

TEACHER_NOT_FOUND = Problem("TEACHER_NOT_FOUND", 404, "师资不存在", "Teacher not found")
PLAN_NOT_FOUND = Problem("PLAN_NOT_FOUND", 404, "培训计划不存在", "Training plan not found")
PLAN_EXISTS = Problem(
    "PLAN_EXISTS",
    409,
    "单位 {province} 的 {period} 培训计划已存在，请修订原计划",
    "A {period} plan of unit {province} exists: amend it",
)
PLAN_FILED = Problem(
    "PLAN_FILED",
    409,
    "培训计划已填报，修改须先修订（生成新版本）",
    "The plan is filed: amend it (a new version) before changing it",
)
PLAN_NOT_FILED = Problem(
    "PLAN_NOT_FILED", 409, "培训计划尚未填报，无需修订", "The plan is not filed: no need to amend"
)
PLAN_EMPTY = Problem(
    "PLAN_EMPTY", 422, "培训计划没有任何班次，不能填报", "A plan without classes cannot be filed"
)
CLASS_NOT_FOUND = Problem("CLASS_NOT_FOUND", 404, "培训班不存在", "Class not found")
CLASS_CONTENT_INVALID = Problem(
    "CLASS_CONTENT_INVALID",
    422,
    "培训班内容不符合要求：每期培训必须包含科学理论和形势政策内容及现场教学环节",
    "Every class needs 科学理论 and 形势政策 topics and an on-site item",
)
CLASS_DATES_INVALID = Problem(
    "CLASS_DATES_INVALID", 422, "培训班日期无效", "The class's dates are invalid"
)
CLASS_OUTSIDE_PERIOD = Problem(
    "CLASS_OUTSIDE_PERIOD",
    422,
    "培训班日期不在计划周期 {period} 内",
    "The class's dates are outside the plan's period {period}",
)
CLASS_CLOSED = Problem("CLASS_CLOSED", 409, "培训班已结班", "The class is closed")
CLASS_SYNCED_DIFFERENTLY = Problem(
    "CLASS_SYNCED_DIFFERENTLY",
    409,
    "班次 {external_id} 已按不同内容同步；已举办班次的更正请通过该班次的接口进行",
    "Class {external_id} was synced with other content: correct a held class through its"
    " own endpoints",
)
CLASS_NOT_ENDED = Problem(
    "CLASS_NOT_ENDED",
    409,
    "培训班 {end} 结束，结束前不能{action}",
    "The class ends on {end}: it cannot be {action_en} before",
)
INSTITUTION_NOT_ENGAGED = Problem(
    "INSTITUTION_NOT_ENGAGED",
    422,
    "该机构不是本省签约的合格培训机构",
    "The institution is not a qualified training institution under contract with the province",
)
TEACHER_UNKNOWN = Problem(
    "TEACHER_UNKNOWN", 422, "师资库中没有这些师资：{ids}", "Unknown teachers: {ids}"
)
ENTERPRISE_UNKNOWN = Problem(
    "ENTERPRISE_UNKNOWN",
    422,
    "企业 {uscc} 不在企业库中",
    "Enterprise {uscc} is not in the registry",
)
TRAINEE_NOT_FOUND = Problem("TRAINEE_NOT_FOUND", 404, "学员不存在", "Trainee not found")
TRAINEE_EXISTS = Problem(
    "TRAINEE_EXISTS",
    409,
    "该身份证号码的学员已登记",
    "A trainee with this ID number is already registered",
)
ENROLLMENT_NOT_FOUND = Problem(
    "ENROLLMENT_NOT_FOUND", 404, "报名记录不存在", "Enrollment not found"
)
ENROLLMENT_CLOSED = Problem(
    "ENROLLMENT_CLOSED",
    409,
    "报名及确认已于 {deadline} 截止（开班前 7 天）",
    "Registration and confirmation closed on {deadline} (7 days before the start)",
)
ENROLLMENT_EXISTS = Problem(
    "ENROLLMENT_EXISTS", 409, "该学员已报名本班", "The trainee is already enrolled in the class"
)
ENTERPRISE_NOT_ELIGIBLE = Problem(
    "ENTERPRISE_NOT_ELIGIBLE",
    422,
    "企业在开班日（{start}）不持有有效的{tiers}认定",
    "On the start date ({start}) the enterprise holds no valid recognition of: {tiers_en}",
)
ENTERPRISE_QUOTA_REACHED = Problem(
    "ENTERPRISE_QUOTA_REACHED",
    409,
    "本计划规定每家企业{scope}最多 {limit} 名学员参训，该企业已达上限",
    "The plan allows at most {limit} trainees per enterprise per {scope_en}: reached",
)
CLASS_FULL = Problem(
    "CLASS_FULL", 409, "培训班名额已满（{capacity} 人）", "The class is full ({capacity})"
)
PROVINCE_NOT_IN_CLASS = Problem(
    "PROVINCE_NOT_IN_CLASS",
    422,
    "企业所在省份不是该班的组班省份",
    "The enterprise's province is not one of the class's provinces",
)
TRANSITION_INVALID = Problem(
    "TRANSITION_INVALID",
    409,
    "报名状态“{state}”不能变为“{target}”",
    "An enrollment in state {state_en} cannot become {target_en}",
)
ATTENDANCE_INVALID = Problem(
    "ATTENDANCE_INVALID", 422, "考勤记录有误", "The attendance records are invalid"
)
CERTIFICATE_NOT_FOUND = Problem(
    "CERTIFICATE_NOT_FOUND", 404, "证书编号 {number} 不存在", "Certificate {number} not found"
)
SURVEY_EXISTS = Problem(
    "SURVEY_EXISTS", 409, "该学员已提交本班满意度评价", "The trainee has already answered"
)
SURVEY_NOT_ALLOWED = Problem(
    "SURVEY_NOT_ALLOWED",
    409,
    "仅已录取或已结业的学员可以评价本班",
    "Only confirmed or completed trainees may answer the class's survey",
)
PLAN_COURSE_NOT_FOUND = Problem(
    "PLAN_COURSE_NOT_FOUND", 404, "本计划没有该课程", "The plan has no such course"
)
PLAN_COURSE_EXISTS = Problem(
    "PLAN_COURSE_EXISTS",
    409,
    "本计划已有课程“{name}”",
    "The plan already has a course named {name}",
)
PLAN_COURSE_IS_KEY_COURSE = Problem(
    "PLAN_COURSE_IS_KEY_COURSE",
    422,
    "“{name}”是附1-1 重点课程，请直接选用，无需自设",
    "{name} is one of the key courses of 附1-1: choose it instead of adding it",
)
PLAN_COURSE_IN_USE = Problem(
    "PLAN_COURSE_IN_USE",
    409,
    "课程“{name}”已被培训班或满意度评价使用，不能删除",
    "The course {name} is taught in a class or rated in a survey: it cannot be deleted",
)
COURSE_NOT_IN_PLAN = Problem(
    "COURSE_NOT_IN_PLAN",
    422,
    "培训内容只能选用附1-1 重点课程或本计划自设的课程",
    "A topic may name a key course of 附1-1 or a course of the class's own plan only",
)
