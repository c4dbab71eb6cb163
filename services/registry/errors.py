"""Registry problem types (stable codes; Chinese and English messages)."""

from __future__ import annotations

from kit.errors import Problem

ENTERPRISE_NOT_FOUND = Problem(
    "ENTERPRISE_NOT_FOUND", 404, "企业 {uscc} 不存在", "Enterprise {uscc} not found"
)
ENTERPRISE_EXISTS = Problem(
    "ENTERPRISE_EXISTS", 409, "统一社会信用代码 {uscc} 已登记", "Enterprise {uscc} already exists"
)
ENTERPRISE_LISTING_CONFLICT = Problem(
    "ENTERPRISE_LISTING_CONFLICT",
    422,
    "“是否上市”与上市板块“{board}”不一致（新三板挂牌不属于上市）",
    "listed contradicts the listing board {board_en} (a 新三板 quotation is not a listing)",
)
ENTERPRISE_FOUR_BASICS_KIND = Problem(
    "ENTERPRISE_FOUR_BASICS_KIND",
    422,
    "填写“四基”类别时，产业导向须包含《工业“四基”发展目录》重点领域",
    "four_basics_kind needs four_basics among the key fields",
)
RECOGNITION_NOT_FOUND = Problem(
    "RECOGNITION_NOT_FOUND", 404, "认定记录不存在", "Recognition not found"
)
RECOGNITION_DATES_INVALID = Problem(
    "RECOGNITION_DATES_INVALID",
    422,
    "有效期起始日期不能晚于截止日期",
    "valid_from must not be after valid_until",
)
RECOGNITION_DUPLICATE = Problem(
    "RECOGNITION_DUPLICATE",
    409,
    "该企业同一层级、同一起始日期的认定已存在",
    "A recognition of this tier starting on that date already exists",
)
RECOGNITION_ALREADY_REVOKED = Problem(
    "RECOGNITION_ALREADY_REVOKED", 409, "该认定已被撤销", "The recognition is already revoked"
)
RECOGNITION_AUTHORITY = Problem(
    "RECOGNITION_AUTHORITY",
    403,
    "{tier_zh}由{authority_zh}认定，当前用户无权记录或撤销",
    "{tier_en} is recognised by {authority_en}; this user may not record or revoke it",
)
RECOGNITION_LIST_NAME = Problem(
    "RECOGNITION_LIST_NAME",
    422,
    "名单上企业 {uscc} 的名称与登记的名称不一致",
    "The listed name of enterprise {uscc} differs from the registered name",
)
RECOGNITION_LIST_TIER = Problem(
    "RECOGNITION_LIST_TIER",
    422,
    "工业和信息化部公布的名单只能认定专精特新“小巨人”企业或重点“小巨人”企业",
    "A ministry list recognises only little_giant or key_little_giant",
)
INDICATOR_YEAR_INVALID = Problem(
    "INDICATOR_YEAR_INVALID",
    422,
    "年度 {year} 无效（应在 2000 至今年之间）",
    "Year {year} is invalid (2000 to the current year)",
)
RULE_SET_MISSING = Problem(
    "RULE_SET_MISSING",
    404,
    "{unit}尚无 {as_of} 生效的重点“小巨人”申报条件规则",
    "The filing unit {unit_en} has no key little giant rule set in force on {as_of}",
)
RULE_SET_EXISTS = Problem(
    "RULE_SET_EXISTS",
    409,
    "该单位已有同一版本或同日（{on}）生效的规则集",
    "This jurisdiction already has that version or a set taking effect on {on}",
)
IMPORT_FAILED = Problem(
    "IMPORT_FAILED",
    422,
    "导入失败：{failed} 行有误，未保存任何数据",
    "Import failed: {failed} rows are invalid; nothing was stored",
)
IMPORT_FILE_INVALID = Problem(
    "IMPORT_FILE_INVALID",
    422,
    "无法读取导入文件：{reason}",
    "Cannot read the import file: {reason_en}",
)
CONCURRENT_REGISTRATION = Problem(
    "CONCURRENT_REGISTRATION",
    409,
    "其他请求同时登记了其中的企业，本次未保存任何数据，请重试",
    "Another request registered some of these enterprises at the same time; nothing was "
    "stored, please retry",
)
INSTITUTION_NOT_FOUND = Problem(
    "INSTITUTION_NOT_FOUND", 404, "服务机构不存在", "Institution not found"
)
INSTITUTION_EXISTS = Problem(
    "INSTITUTION_EXISTS",
    409,
    "统一社会信用代码 {uscc} 的机构已登记",
    "An institution with USCC {uscc} already exists",
)
CONTRACT_DUPLICATE = Problem(
    "CONTRACT_DUPLICATE",
    409,
    "该机构在本省同一任务、同一批次的合同已存在",
    "A contract for this province, task and batch already exists",
)
INSTITUTION_REGION_FIXED = Problem(
    "INSTITUTION_REGION_FIXED",
    409,
    "机构 {uscc} 已登记在 {region}，同步不能改变其所在地区",
    "Institution {uscc} is registered in {region}: a sync does not move it",
)
CONTACT_TASK_FIXED = Problem(
    "CONTACT_TASK_FIXED",
    409,
    "联络人 {external_id} 负责{task}，同步不能改变其负责工作（请另建联络人）",
    "Contact {external_id} is the {task} contact: a sync does not change its task",
)
CONTACT_DUPLICATE = Problem(
    "CONTACT_DUPLICATE",
    409,
    "该省该项工作已有使用此手机号的联络人",
    "A contact with this mobile already exists for this province and task",
)
INSTITUTION_NOT_QUALIFIED = Problem(
    "INSTITUTION_NOT_QUALIFIED",
    422,
    "该机构不具备承担“{task}”的类型或资质条件",
    "The institution lacks the type or qualifications for task {task_en}",
)
QUALIFICATION_TYPE_NOT_HELD = Problem(
    "QUALIFICATION_TYPE_NOT_HELD",
    422,
    "机构类型中没有“{type}”，无从审核其资质",
    "The institution is not of type {type_en}: there is nothing to review",
)
QUALIFICATION_UNKNOWN = Problem(
    "QUALIFICATION_UNKNOWN", 422, "资质条件无效", "Invalid qualification conditions"
)
PLATFORM_LEVEL_REQUIRED = Problem(
    "PLATFORM_LEVEL_REQUIRED",
    422,
    "公共服务示范平台须填写平台级别（国家级/省级）",
    "A public service platform needs its level (national / provincial)",
)
PLATFORM_LEVEL_NOT_APPLICABLE = Problem(
    "PLATFORM_LEVEL_NOT_APPLICABLE",
    422,
    "平台级别仅适用于中小企业公共服务示范平台",
    "Only a public service platform has a platform level",
)
CONTACT_NOT_FOUND = Problem("CONTACT_NOT_FOUND", 404, "联络人不存在", "Contact not found")
CONTACT_REPLACED = Problem(
    "CONTACT_REPLACED",
    409,
    "该联络人已被接替，请修改接替者的信息",
    "The contact has been replaced; change its successor instead",
)
