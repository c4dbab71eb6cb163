"""学员 (000 附1-3 培训学员信息表) and their training archive (培训档案)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from kit.fields import Email, IdNumber, Mobile, Text, Uscc, YearMonth, month_not_future
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from training.enums import Degree, Education, EnrollmentState, Gender


class SocialRole(BaseModel):
    """社会职务: 团体, 参加时间, 职务."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation: Text = Field(min_length=1, max_length=200, description="团体")
    since: Text | None = Field(None, max_length=20, description="参加时间")
    title: Text = Field(min_length=1, max_length=100, description="职务")


class TraineeCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "enterprise_uscc": "91420100MA4K3C2P0R",
                    "name": "王强",
                    "gender": "male",
                    "id_number": "420102198503120411",
                    "mobile": "13900139000",
                    "position": "总经理",
                    "management_years": 12,
                    "education": "master",
                    "school": "华中科技大学",
                    "studied_from": "2008-09",
                    "studied_until": "2011-06",
                    "major": "工商管理",
                    "degree": "master",
                    "social_roles": [
                        {"organisation": "湖北省中小企业协会", "since": "2020", "title": "理事"}
                    ],
                }
            ]
        },
    )

    enterprise_uscc: Uscc = Field(description="所在企业统一社会信用代码")
    name: Text = Field(min_length=1, max_length=100, description="姓名")
    gender: Gender = Field(description="性别")
    id_number: IdNumber = Field(description="身份证号码")
    mobile: Mobile = Field(description="手机")
    email: Email | None = Field(None, description="电子邮箱")
    political_status: Text | None = Field(None, max_length=40, description="政治面貌")
    ethnicity: Text | None = Field(None, max_length=40, description="民族")
    position: Text = Field(min_length=1, max_length=100, description="现任职务")
    management_years: int | None = Field(None, ge=0, le=70, description="管理经验年限")
    address: Text | None = Field(None, max_length=300, description="通讯地址")
    education: Education | None = Field(None, description="教育背景（最高学历）")
    school: Text | None = Field(None, max_length=200, description="毕业院校")
    studied_from: YearMonth | None = Field(None, description="起止时间：入学年月（YYYY-MM）")
    studied_until: YearMonth | None = Field(
        None, description="起止时间：毕业年月（YYYY-MM，不早于入学、不晚于本月）"
    )
    major: Text | None = Field(None, max_length=200, description="专业")
    degree: Degree | None = Field(None, description="学位（学历/学位）")
    social_roles: list[SocialRole] = Field(default=[], max_length=20, description="社会职务")
    honours: Text | None = Field(None, max_length=1000, description="个人荣誉和奖励")

    @field_validator("studied_from", "studied_until")
    @classmethod
    def _studied_not_future(cls, value: str | None) -> str | None:
        return month_not_future(value)

    @field_validator("studied_until")
    @classmethod
    def _studied_until_after_start(cls, value: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("studied_from")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError(
                "STUDY_ENDS_BEFORE_START",
                "studied_until ({until}) is before studied_from ({start})",
                {"until": value, "start": start, "zh": f"毕业年月 {value} 早于入学年月 {start}"},
            )
        return value


class TraineeRead(BaseModel):
    id: uuid.UUID
    enterprise_uscc: str
    enterprise_name: str | None
    province: str
    name: str
    gender: Gender
    id_number: str = Field(description="身份证号码（无 pii:read 权限时脱敏）")
    mobile: str
    email: str | None
    masked: bool = Field(description="个人敏感信息是否已脱敏")
    political_status: str | None
    ethnicity: str | None
    position: str
    management_years: int | None
    address: str | None
    education: Education | None
    school: str | None
    studied_from: str | None = Field(description="起止时间：入学年月（YYYY-MM）")
    studied_until: str | None = Field(description="起止时间：毕业年月（YYYY-MM）")
    major: str | None
    degree: Degree | None = Field(description="学位")
    social_roles: list[SocialRole]
    honours: str | None
    version: int
    created_at: datetime


class CertificateRead(BaseModel):
    number: str = Field(description="证书编号")
    class_id: uuid.UUID
    class_name: str
    trainee_id: uuid.UUID
    trainee_name: str = Field(description="学员姓名（脱敏）")
    enterprise_uscc: str
    institution_name: str = Field(description="颁发证书的培训机构")
    attendance_rate: Decimal
    issued_on: date


class ArchiveEntry(BaseModel):
    """One class in a trainee's 培训档案."""

    class_id: uuid.UUID
    class_name: str
    period: str
    province: str
    start_on: date
    end_on: date
    state: EnrollmentState
    backfilled: bool
    sessions: int = Field(description="授课天数")
    present: int = Field(description="出勤天数")
    attendance_rate: Decimal | None = Field(description="出勤率（结班时计算）")
    certificate_number: str | None
    surveyed: bool = Field(description="是否已提交满意度评价")


class Archive(BaseModel):
    trainee: TraineeRead
    classes: list[ArchiveEntry]
