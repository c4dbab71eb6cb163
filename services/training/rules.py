"""The seeds' numbers and dates for training (000 附件1; 001), each with its seed line.

What the seeds leave open is marked *interpreted* (DESIGN.md §5 says how it was read).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from training.enums import ContentCategory, EnrollmentState, Period, QuotaScope

# 培训计划 due dates (000 附件1 §三(二)): 2025 by 2025-01-31, 2026 by 2025-11-30, 2027–2028
# by 2026-11-30.
DUE_ON = {
    Period.Y2025: date(2025, 1, 31),
    Period.Y2026: date(2025, 11, 30),
    Period.Y2027_2028: date(2026, 11, 30),
}
# The years each plan period covers (000 附件1 §三(二)): a class is held within them.
YEARS = {
    Period.Y2025: (2025, 2025),
    Period.Y2026: (2026, 2026),
    Period.Y2027_2028: (2027, 2028),
}
# The empowerment work's batches and their plan periods (000 §三(四)).
BATCHES = {1: Period.Y2025, 2: Period.Y2026, 3: Period.Y2027_2028}
# 附件5 T1's floor: coverage under 30% scores nothing ("低于30%的，得分为零", 000:328). Not a
# target: each unit sets its own (training.coverage_targets).
SCORING_FLOOR = Decimal("0.30")

# The registry's task and institution type of a training institution.
TASK = "training"
# Every class carries 科学理论 and 形势政策 content (000 附件1 §二(二)(三)).
REQUIRED_CONTENT = (ContentCategory.SCIENCE_THEORY, ContentCategory.POLICY)
# 开班1周前完成报名及确认 (registration, 000 附件1 and 001).
ENROLLMENT_LEAD = timedelta(days=7)
# A plan's defaults, each a plan setting (DESIGN.md §5). 每家企业限定1-2人, each person
# choosing one class (001:69-70, 001:196-200): at most 2 per enterprise per plan period.
PER_ENTERPRISE = 2
PER_ENTERPRISE_SCOPE = QuotaScope.PLAN
# What a plan may set instead (interpreted: a class's trainees stay a few per enterprise).
PER_ENTERPRISE_RANGE = (1, 20)
# A 结业证书 at ≥ 90% attendance, issued by the training institution (001:212, 备注).
CERTIFICATE_AT = Decimal("0.90")
# A plan may ask for less, never under half the sessions (interpreted).
CERTIFICATE_RANGE = (Decimal("0.50"), Decimal(1))
# Who answers a class's survey: its confirmed or completed trainees.
ANSWERING = (EnrollmentState.CONFIRMED.value, EnrollmentState.COMPLETED.value)
