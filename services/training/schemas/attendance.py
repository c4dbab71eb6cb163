"""考勤, 结班 and 结业证书."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class AttendanceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session: date = Field(description="授课日期")
    trainee_id: uuid.UUID
    present: bool = Field(description="是否出勤")


class AttendanceBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[AttendanceRecord] = Field(min_length=1, max_length=20000)


class AttendanceResult(BaseModel):
    recorded: int = Field(description="记录条数（同一天同一学员以最后一次为准）")


class CloseResult(BaseModel):
    class_id: uuid.UUID
    completed: int = Field(description="结业学员数")
    certificates: int = Field(description="颁发证书数（出勤率 ≥ 90%）")
    without_certificate: int = Field(description="出勤率不足 90% 未获证书的学员数")
    rejected_pending: int = Field(description="开班前未完成录取、结班时不予通过的报名数")
