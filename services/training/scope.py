"""Who may see and change which training records (DESIGN.md §4 Auth).

Plans and classes are provincial: the organising province writes them; a joint class is
visible to each of its provinces. Foreign records are reported as missing (404).

Trainees (学员, PII) are seen through one predicate, ``visible_trainees``, used by the direct
read, the trainee list, the class roster, the 附1-3 export and the 培训档案, so no path shows
more than ``GET /trainees/{id}``:

- the enterprise itself; a government user whose region covers the trainee's enterprise
  (a city its own city, a province its own province, the ministry everyone);
- the organising province of a class the trainee enrolled in (it runs registration and 录取
  for a joint class) and the institution running such a class.

Interpretation (the seeds say only that joint classes are allowed, 000 附件1 §二, and
DESIGN.md §5 that their trainees "count for both"): a joint class's *partner* province sees
the class and its own trainees in it, never another province's trainees — 资格审核 is the
trainee's home province's and 录取 the organiser's, so the partner has no task that needs
them. A viewer who sees a trainee only through a class sees, in the 培训档案, only the
enrollments in classes it sees itself (the organiser its classes, the institution the
classes it runs), not the rest of the trainee's history.
"""

from __future__ import annotations

from kit.auth import GOVERNMENT, Principal, Role
from kit.codes import unit_region
from kit.errors import FORBIDDEN, REGION_OUT_OF_SCOPE
from kit.scope import KEEPERS, acts_for, ensure_keeps, in_region, institution_id, keeps, unit
from sqlalchemy import ColumnElement, any_, exists, false, select, true

from training.enums import EnrollmentState
from training.models import Enrollment, EnterpriseReplica, Trainee, TrainingClass


def sees_province(principal: Principal, province: str) -> bool:
    """A government user of the unit (a city's included) or of the whole country."""
    return principal.role in GOVERNMENT and unit(principal) in ("", province)


def organising_province(principal: Principal) -> str | None:
    """The unit whose classes the principal organises: ``""`` (every one) for the ministry,
    a unit's keepers their unit (their region is the unit's own), nobody else (None)."""
    return unit(principal) if principal.role in KEEPERS else None


def organises(principal: Principal, cls: TrainingClass) -> bool:
    """A keeper of the organising unit (who runs registration for a joint class)."""
    return organising_province(principal) in ("", cls.province)


def visible_classes(principal: Principal) -> ColumnElement[bool]:
    """The classes the principal sees: government users those of their province (joint
    classes included), an institution those it runs, an enterprise those open to its
    province."""
    if principal.role in GOVERNMENT:
        own = unit(principal)
        return TrainingClass.provinces.contains([own]) if own else true()
    if institution := institution_id(principal):
        return TrainingClass.institution_id == institution
    if principal.role is Role.ENTERPRISE and principal.org:
        province = select(EnterpriseReplica.province).where(EnterpriseReplica.uscc == principal.org)
        return province.scalar_subquery() == any_(TrainingClass.provinces)
    return false()


def _through_classes(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The trainee enrolled (in any state) in a class meeting ``condition``."""
    return exists(
        select(Enrollment.id)
        .join(TrainingClass, TrainingClass.id == Enrollment.class_id)
        .where(Enrollment.trainee_id == Trainee.id, condition)
    )


def visible_trainees(principal: Principal) -> ColumnElement[bool]:
    """The trainees the principal sees (see the module docstring): the one predicate of every
    path that shows a trainee."""
    if principal.role is Role.ENTERPRISE:
        return Trainee.enterprise_uscc == (principal.org or "")
    if principal.role in GOVERNMENT:
        if not principal.region_prefix:
            return true()
        home = in_region(principal.region_prefix, Trainee.region_code)
        assert home is not None
        province = organising_province(principal)
        if province is None:
            return home
        return home | _through_classes(TrainingClass.province == province)
    if institution := institution_id(principal):
        return _through_classes(TrainingClass.institution_id == institution)
    return false()


def may_keep(principal: Principal, trainee: Trainee) -> bool:
    """The enterprise itself, or a keeper of its province, acts on the trainee's behalf."""
    return acts_for(principal, trainee.enterprise_uscc) or keeps(principal, trainee.province)


def ensure_runs(principal: Principal, cls: TrainingClass) -> None:
    """The organising province's keepers, or the institution running the class."""
    if institution_id(principal) == cls.institution_id:
        return
    ensure_keeps(principal, cls.province)


def may_decide(
    principal: Principal, target: EnrollmentState, cls: TrainingClass, e: Enrollment
) -> bool:
    """Who moves an enrollment to ``target``."""
    organiser = organises(principal, cls)
    home = keeps(principal, e.province)
    if target is EnrollmentState.CONFIRMED:  # 录取 is the organiser's
        return organiser
    if target is EnrollmentState.WITHDRAWN:
        return organiser or home or acts_for(principal, e.enterprise_uscc)
    return organiser or home  # 资格审核 and rejection


def counted_region(principal: Principal, province: str | None) -> str:
    """The region prefix whose coverage the caller reads: its own, or the unit asked for if
    the caller is in it (a city stays its city) or is the ministry."""
    if principal.role not in GOVERNMENT:
        raise FORBIDDEN()
    own = principal.region_prefix
    if province is None:
        return own
    if own and province != unit(principal):
        raise REGION_OUT_OF_SCOPE(region=unit_region(province))
    return own or province
