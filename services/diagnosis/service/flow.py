"""The engagement's state machine (``rules.NEXT``, ``rules.BACK``): ``kit.flow``'s."""

from __future__ import annotations

from contracts import diagnosis as contract
from kit.flow import Flow

from diagnosis import events
from diagnosis.enums import State
from diagnosis.errors import ENGAGEMENT_STATE
from diagnosis.models import Transition
from diagnosis.rules import BACK, NEXT

FLOW = Flow(
    states=State,
    forward=NEXT,
    back=BACK,
    actions={
        State.ASSIGNED: ("分派机构", "assigned"),
        State.SELF_ASSESSED: ("提交自我评价", "self-assessed"),
        State.REVIEWED: ("复核", "reviewed"),
        State.REPORTED: ("出具诊断报告", "reported"),
        State.CONFIRMED: ("确认", "confirmed"),
        State.SPOT_CHECKED: ("抽查", "spot checked"),
        State.CANCELLED: ("取消", "cancelled"),
    },
    error=ENGAGEMENT_STATE,
    aggregate=events.ENGAGEMENT,
    payload=contract.Engagement,  # API.md: engagement.<state>, a return too
    history=Transition,
    key="engagement_id",
)
