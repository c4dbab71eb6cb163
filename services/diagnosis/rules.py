"""The seeds' rules for diagnosis (000 附件2/3; 001 §二(二)(三)), each with its seed line.

What the seeds leave open is marked *interpreted*.
"""

from __future__ import annotations

from contracts.diagnosis import ACTIVITY_KINDS
from contracts.vocabulary import LITTLE_GIANTS, Task
from kit.codes import INDUSTRY_SECTIONS

from diagnosis.enums import Kind, ManagementFocus, QualityFocus, State

# The registry's task (institution type and contract task) of each kind.
TASKS = {Kind.QUALITY: Task.QUALITY_DIAGNOSIS, Kind.MANAGEMENT: Task.MANAGEMENT_DIAGNOSIS}
FOCUS = {Kind.QUALITY: QualityFocus, Kind.MANAGEMENT: ManagementFocus}

# Who is served: valid 小巨人 (重点小巨人 included) on the request date — "经工业和信息化部认定，
# 且在有效期内的专精特新“小巨人”企业" (000:257); quality for manufacturing ones only —
# "对制造业“小巨人”企业开展贯标培训" (000:241), "主要针对制造业" (001:74): GB/T 4754 门类 C.
ELIGIBLE_TIERS = [t.value for t in LITTLE_GIANTS]
_, FIRST_MANUFACTURING, LAST_MANUFACTURING = INDUSTRY_SECTIONS["C"]


def manufacturing(industry_code: str | None) -> bool:
    return industry_code is not None and FIRST_MANUFACTURING <= industry_code <= LAST_MANUFACTURING


# The flow (000:241, 000:271): request → an institution assigned → the enterprise's
# self-assessment → the institution's review (复核, its visit) → its report → the unit
# confirms it (or returns it with reasons: the one step back, ``BACK``) → for quality, the
# ministry's spot check (抽查, 000:243). Any open state may be cancelled.
OPEN = frozenset(
    {State.REQUESTED, State.ASSIGNED, State.SELF_ASSESSED, State.REVIEWED, State.REPORTED}
)
_FORWARD: dict[State, frozenset[State]] = {
    State.REQUESTED: frozenset({State.ASSIGNED}),
    State.ASSIGNED: frozenset({State.SELF_ASSESSED}),
    State.SELF_ASSESSED: frozenset({State.REVIEWED}),
    State.REVIEWED: frozenset({State.REPORTED}),
    State.REPORTED: frozenset({State.CONFIRMED}),
    State.CONFIRMED: frozenset({State.SPOT_CHECKED}),
    State.SPOT_CHECKED: frozenset(),
    State.CANCELLED: frozenset(),
}
NEXT = {s: to | ({State.CANCELLED} if s in OPEN else frozenset()) for s, to in _FORWARD.items()}
BACK = {State.REPORTED: State.REVIEWED}  # :return

# Which kind each activity counts for (附件5 Q1 / M1): the published vocabulary's.
ACTIVITY_KIND = {activity: Kind(kind) for activity, kind in ACTIVITY_KINDS.items()}
# What a 验收 covers and what a survey follows: engagements whose report the unit confirmed.
DONE = frozenset({State.CONFIRMED, State.SPOT_CHECKED})
