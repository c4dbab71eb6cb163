"""联络人 (000 附件6 联络人信息表): phones and email are personal data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from contracts.vocabulary import Task
from kit import bulk
from kit.fields import Email, Mobile, OfficePhone, Patch, Text, UnitCode
from pydantic import BaseModel, ConfigDict, Field


class ContactFields(BaseModel):
    """The person: what a correction changes and a replacement gives anew."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation: Text | None = Field(None, max_length=200, description="单位名称")
    name: Text = Field(min_length=1, max_length=100, description="联系人")
    title: Text | None = Field(None, max_length=100, description="职务")
    office_phone: OfficePhone | None = Field(None, description="办公电话")
    mobile: Mobile = Field(description="手机")
    email: Email | None = Field(None, description="电子邮箱")


class ContactCreate(ContactFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "province": "42",
                    "organisation": "湖北省经济和信息化厅",
                    "task": "training",
                    "name": "张明",
                    "title": "副处长",
                    "office_phone": "027-87654321",
                    "mobile": "13800138000",
                    "email": "zhangming@example.gov.cn",
                }
            ]
        },
    )

    province: UnitCode
    task: Task = Field(description="负责工作")


class ContactUpdate(Patch, ContactFields):
    """A correction of the same person: only the fields sent change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"mobile": "13900139000"}]})


class ContactReplacement(ContactFields):
    """Another person takes over the province's task; the one replaced is kept as history."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "李华", "title": "科长", "mobile": "13700137000"}]}
    )


class ContactRead(BaseModel):
    id: uuid.UUID
    province: str
    organisation: str | None
    task: Task
    name: str
    title: str | None
    office_phone: str | None
    mobile: str
    email: str | None
    masked: bool = Field(description="个人信息是否已脱敏（无 pii:read 权限时脱敏）")
    replaced_by: uuid.UUID | None = Field(None, description="接替者（已被接替时）")
    replaced_at: datetime | None = None
    version: int


class ContactSyncItem(ContactCreate):
    external_id: Text = Field(min_length=1, max_length=100, description="省级系统中该联络人的标识")


class ContactSync(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "external_id": "hb-contact-7",
                            "province": "42",
                            "task": "training",
                            "name": "张明",
                            "mobile": "13800138000",
                        }
                    ]
                }
            ]
        }
    )

    items: Annotated[
        list[dict[str, Any]],
        bulk.items_of(ContactSyncItem),
        Field(description="1–1000 名联络人，以单位代码 + external_id 为键，每项为其全部信息"),
    ]
