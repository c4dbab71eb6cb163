"""考勤, 结班 and 结业证书."""

from __future__ import annotations

import uuid

from kit.fields import Day
from pydantic import BaseModel, ConfigDict, Field


class AttendanceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session: Day = Field(description="授课日期")
    trainee_id: uuid.UUID
    present: bool = Field(description="是否出勤")


class AttendanceBatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "session": "2026-05-11",
                            "trainee_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697801",
                            "present": True,
                        }
                    ]
                }
            ]
        },
    )

    records: list[AttendanceRecord] = Field(min_length=1, max_length=20000)


class AttendanceResult(BaseModel):
    recorded: int = Field(description="记录条数（同一天同一学员以最后一次为准）")


class CloseResult(BaseModel):
    class_id: uuid.UUID
    completed: int = Field(description="结业学员数")
    certificates: int = Field(description="颁发证书数（出勤率达到计划规定的比例，默认 90%）")
    without_certificate: int = Field(description="出勤率未达计划规定比例、未获证书的学员数")
    rejected_pending: int = Field(description="开班前未完成录取、结班时不予通过的报名数")
