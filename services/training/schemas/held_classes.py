"""Classes already held (补录), synced in bulk by a provincial system with their trainees and
attendance, keyed by the system's own id."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from kit import bulk
from kit.fields import Day, Text
from pydantic import BaseModel, ConfigDict, Field

from training.schemas.classes import ClassCreate


class HeldTrainee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trainee_id: uuid.UUID = Field(description="学员（先以 POST /trainees 登记）")
    attended: list[Day] = Field(description="出勤的授课日期")


class HeldClass(ClassCreate):
    """A class that took place: its plan, its trainees (each enrolled and confirmed), the days
    each attended, and whether it is closed (certificates issued by the plan's threshold)."""

    external_id: Text = Field(min_length=1, max_length=100, description="省级系统中该班次的标识")
    plan_id: uuid.UUID
    backfilled: Literal[True] = Field(True, description="批量同步的班次均为补录")
    trainees: list[HeldTrainee] = Field(default=[], max_length=2000)
    closed: bool = Field(True, description="同步后结班（按出勤率颁发证书）")


class HeldClassSync(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "external_id": "hb-2025-03",
                            "plan_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697800",
                            "name": "湖北省专精特新“小巨人”企业经营管理人才培训班（第三期）",
                            "kind": "comprehensive",
                            "start_on": "2025-06-09",
                            "end_on": "2025-06-11",
                            "institution_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697802",
                            "topics": [
                                {"category": "science_theory", "course": "xi_on_smes"},
                                {"category": "policy", "course": "laws_and_policies"},
                            ],
                            "onsite_items": [{"kind": "enterprise_visit", "site": "武汉光谷"}],
                            "planned_trainees": 50,
                            "trainees": [
                                {
                                    "trainee_id": "0193a4a2-7c1e-7b7e-9f2d-3c4b5a697801",
                                    "attended": ["2025-06-09", "2025-06-10", "2025-06-11"],
                                }
                            ],
                        }
                    ]
                }
            ]
        }
    )

    items: Annotated[
        list[dict[str, Any]],
        bulk.items_of(HeldClass),
        Field(description="1–1000 个已举办的班次，以单位代码 + external_id 为键"),
    ]
