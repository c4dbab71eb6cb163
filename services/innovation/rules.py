"""The seeds' rules for technical innovation (000 附件4; 001 §二(四), 附件1-3), each with its
seed line. What the seeds leave open is marked *interpreted*.
"""

from __future__ import annotations

from contracts.vocabulary import Tier

from innovation.enums import DemandState, ProjectState

# "该项任务地方可根据企业需求，自行决定是否开展" (000:39): a unit says whether it runs the
# task. *Interpreted*: a unit that has said nothing runs it (``RUNS_BY_DEFAULT``, shared with
# the gateway's overview), with the default tiers; one that does not run it says so
# (``PUT /settings/{unit}`` {runs: false}). Its figures are then null, not zero, unless it
# has demands (it ran the task before).

# Who is served: "为专精特新中小企业提供…技术创新服务" (000:281) — 专精特新中小企业 and up; a
# unit may admit fewer, as 001 does: "在“小巨人”企业中征集" (001:18).
DEFAULT_TIERS = [Tier.SPECIALIZED_SME.value, Tier.LITTLE_GIANT.value, Tier.KEY_LITTLE_GIANT.value]
ADMISSIBLE_TIERS = frozenset(DEFAULT_TIERS)

# Selection rounds: "征集企业技术创新需求库100项，择优遴选16个优质项目" (001:18) — a round has a
# quota; closing it with more selections than the quota is refused; the pooled rest of the
# unit are not selected. *Interpreted*: selections may exceed the quota while the round is
# open (the unit deliberates), a selection may be withdrawn until it closes (back to the
# 需求库), and one round per unit × batch is open at a time.

# The flow (API.md innovation): the unit pools (需求库) or declines each submitted demand; a
# round selects among the pooled; a selected one is served, delivered and accepted. The
# enterprise (or its unit) withdraws a demand not yet selected. Two steps back (``BACK``): a
# selection withdrawn while its round is open puts the demand back in the pool; a failed 验收
# of its project puts it back in service.
NEXT: dict[DemandState, frozenset[DemandState]] = {
    DemandState.SUBMITTED: frozenset(
        {DemandState.POOLED, DemandState.DECLINED, DemandState.WITHDRAWN}
    ),
    DemandState.POOLED: frozenset(
        {DemandState.SELECTED, DemandState.NOT_SELECTED, DemandState.WITHDRAWN}
    ),
    DemandState.DECLINED: frozenset(),
    DemandState.SELECTED: frozenset({DemandState.IN_SERVICE}),
    DemandState.NOT_SELECTED: frozenset(),
    DemandState.IN_SERVICE: frozenset({DemandState.DELIVERED}),
    DemandState.DELIVERED: frozenset({DemandState.ACCEPTED}),
    DemandState.ACCEPTED: frozenset(),
    DemandState.WITHDRAWN: frozenset(),
}
BACK = {
    DemandState.SELECTED: DemandState.POOLED,
    DemandState.DELIVERED: DemandState.IN_SERVICE,
}

# Service projects: "可通过政府购买服务方式为企业提供相应服务，不向企业收取任何费用" (000:47) — the
# fee to the enterprise is 0. A project is delivered once its milestones are completed one
# by one, then accepted (验收) by the unit; *interpreted*: a failed 验收 returns it to service
# (``PROJECT_BACK``), its reasons kept, to be delivered again.
FEE_TO_ENTERPRISE = 0
PROJECT_NEXT: dict[ProjectState, frozenset[ProjectState]] = {
    ProjectState.IN_SERVICE: frozenset({ProjectState.DELIVERED}),
    ProjectState.DELIVERED: frozenset({ProjectState.ACCEPTED}),
    ProjectState.ACCEPTED: frozenset(),
}
PROJECT_BACK = {ProjectState.DELIVERED: ProjectState.IN_SERVICE}

# The figures (``GET /stats``; the gateway's overview counts alike, by the states of
# ``contracts.innovation``). 附件5 I1 "服务专精特新中小企业数量（家）" (000:342): *interpreted* —
# an enterprise is served once a project for it is set up (立项), counted once per unit and
# batch however many projects it has; I4 "服务满意度" (000:345) on ``kit.satisfaction``. The
# seeds batch the work (000 §三(四)), not the demands: *interpreted* — a demand joins a batch
# when a selection round of that batch takes it up (selected, or not when it closes).
