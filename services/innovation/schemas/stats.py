"""The figures of a unit's (or the nation's) technical-innovation services (附件5 I1, I4)."""

from __future__ import annotations

from decimal import Decimal

from kit import satisfaction as rating
from pydantic import BaseModel, Field

from innovation.enums import Category

_NULL = "；未开展该项任务（且无需求）的单位为空，不是 0"


class Stats(BaseModel):
    """A unit's (or the nation's) technical-innovation figures, in a batch if asked. A demand
    joins a batch when a selection round of that batch takes it up (selected, or not when
    the round closes): the demands not yet in a round count only without ``batch``."""

    unit: str | None = Field(description="单位代码；全国为空")
    batch: str | None = Field(description="批次（遴选轮次的批次）；为空为各批次累计")
    runs: bool | None = Field(
        description="单位是否开展技术创新服务（000:39 地方自行决定，未设置的视为开展）；全国为空"
    )
    demands: int | None = Field(None, description=f"技术创新需求数（未撤回）{_NULL}")
    categories: dict[Category, int] | None = Field(
        None, description=f"各需求类别的需求数（一项需求可属多个类别）{_NULL}"
    )
    pooled: int | None = Field(None, description=f"纳入需求库的需求数（含其后遴选、服务的）{_NULL}")
    declined: int | None = Field(None, description=f"未入库的需求数{_NULL}")
    selected: int | None = Field(None, description=f"择优遴选入选的需求数（含其后服务的）{_NULL}")
    not_selected: int | None = Field(None, description=f"遴选轮次结束时未入选的需求数{_NULL}")
    projects: int | None = Field(None, description=f"服务项目数{_NULL}")
    enterprises_served: int | None = Field(
        None, description=f"服务企业数（附件5 I1）：有服务项目（已立项）的企业，每家计一次{_NULL}"
    )
    accepted: int | None = Field(None, description=f"验收通过的服务项目数{_NULL}")
    responses: int | None = Field(None, description=f"满意度评价份数{_NULL}")
    satisfaction: Decimal | None = Field(None, description="服务满意度（附件5 I4）；无评价时为空")
    definition: rating.Definition = Field(default=rating.DEFINITION)
