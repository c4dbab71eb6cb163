"""The demand's state machine (``rules.NEXT``): ``kit.flow``'s."""

from __future__ import annotations

from contracts import innovation as contract
from kit.flow import Flow

from innovation import events
from innovation.enums import DemandState
from innovation.errors import DEMAND_STATE
from innovation.models import DemandTransition
from innovation.rules import BACK, NEXT

DEMAND = Flow(
    states=DemandState,
    forward=NEXT,
    back=BACK,
    back_action=("撤销遴选", "unselected"),
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
