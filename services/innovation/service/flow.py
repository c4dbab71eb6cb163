"""The demand's and the project's state machines (``rules``): ``kit.flow``'s."""

from __future__ import annotations

from contracts import innovation as contract
from kit.flow import Flow

from innovation import events
from innovation.enums import DemandState, ProjectState
from innovation.errors import DEMAND_STATE, PROJECT_STATE
from innovation.models import DemandTransition, ProjectTransition
from innovation.rules import BACK, NEXT, PROJECT_BACK, PROJECT_NEXT

DEMAND = Flow(
    states=DemandState,
    forward=NEXT,
    back=BACK,
    back_action=("退回", "sent back"),
    actions={
        DemandState.POOLED: ("入库", "pooled"),
        DemandState.DECLINED: ("不予入库", "declined"),
        DemandState.SELECTED: ("遴选", "selected"),
        DemandState.NOT_SELECTED: ("列为未遴选", "marked not selected"),
        DemandState.IN_SERVICE: ("立项服务", "put in service"),
        DemandState.DELIVERED: ("交付", "delivered"),
        DemandState.ACCEPTED: ("验收", "accepted"),
        DemandState.WITHDRAWN: ("撤回", "withdrawn"),
    },
    error=DEMAND_STATE,
    aggregate=events.DEMAND,
    payload=contract.Demand,
    history=DemandTransition,
    key="demand_id",
)

PROJECT = Flow(
    states=ProjectState,
    forward=PROJECT_NEXT,
    back=PROJECT_BACK,
    back_action=("退回继续服务", "returned to service"),
    actions={
        ProjectState.DELIVERED: ("交付", "delivered"),
        ProjectState.ACCEPTED: ("验收", "accepted"),
    },
    error=PROJECT_STATE,
    aggregate=events.PROJECT,
    payload=contract.Project,
    history=ProjectTransition,
    key="project_id",
)
