"""Writing a checked cxroadmap/1 plan in bulk: a few multi-row INSERTs per table instead of one flush per row,
the values normalised as the services normalise them, and one audit event for the whole import."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select, text

from cxroadmap.audit.services import current_actor, record, summarised
from cxroadmap.benefits import calc
from cxroadmap.benefits.models import BenefitActual, BenefitEstimate
from cxroadmap.benefits.services import check_actual
from cxroadmap.errors import DomainError, tidy
from cxroadmap.exchangekit.parts import Writing
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Dependency, Initiative, Milestone, MilestoneSlip, StatusUpdate
from cxroadmap.organisations.data_version import note_change
from cxroadmap.organisations.models import Organisation, Versioned
from cxroadmap.organisations.services import (
    create_organisation,
    delete_organisation,
    organisation_by_slug,
    set_logo,
    slug_taken,
)
from cxroadmap.timeutil import today


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert rows of the same keys in multi-row statements, returning their ids in the order given.

    Core's insert rather than the ORM's: the ORM splits rows whose None values differ into separate batches.
    """
    if not rows:
        return []
    if issubclass(model, Versioned):
        actor = current_actor().label[:254]
        for row in rows:
            row["updated_by"] = actor
    table = model.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite cannot promise RETURNING in the order given, so SQLAlchemy would insert row by row. This
        # transaction has written already (the organisation) and so holds SQLite's one write lock: the ids
        # after the largest stay free until it commits.
        start = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
        db.session.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
        return ids
    # PostgreSQL: the ids from the table's own sequence in one query, then the rows as one executemany (psycopg
    # sends it as a pipeline of one short statement); multi-row INSERT … RETURNING statements were three times
    # slower, most of it psycopg reading their long text again for every batch.
    ids = sorted(db.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                         "FROM generate_series(1, :count)"), {"table": table.name, "count": len(rows)}))
    db.session.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def _link(table, rows: list[dict]) -> None:
    if rows:
        db.session.execute(table.insert(), rows)


def write_plan(plan) -> Organisation:
    """Write a checked plan, replacing an organisation of the same slug; flushes, never commits.

    Refusals found only now (a dependency loop, a realised amount in the future …) raise DomainError; the
    caller rolls back, so nothing is half-written.
    """
    values = plan.organisation
    replaced = slug_taken(values["slug"])
    with summarised():
        if replaced:
            delete_organisation(organisation_by_slug(values["slug"]))
        organisation = create_organisation(**values)
        if plan.logo:
            set_logo(organisation, plan.logo)
        counts = write_contents(organisation, plan)
    counts["replaced"] = replaced
    record("import", organisation, object_type="Organisation", object_id=organisation.id,
           object_label=organisation.name, changes=counts)
    return organisation


def write_contents(organisation: Organisation, plan) -> dict:
    """Write everything of a checked plan but the organisation's own settings into organisation, in bulk and
    leaving no event per row (the caller records one); how many of what it wrote."""
    note_change(organisation.id)  # the rows below go round the flush that would note it
    with summarised():
        counts = {}
        writing = Writing(_insert, _link)
        for part, checked in plan.parts.items():
            if part.order < 0:
                counts.update(part.write(organisation, checked, writing))
        ids = _write_initiatives(organisation, plan, writing.member_ids)
        writing.initiative_ids.update(ids.by_ref)
        counts.update(_write_governance(plan.governance, ids))
        for part, checked in plan.parts.items():
            if part.order >= 0:
                counts.update(part.write(organisation, checked, writing))
        db.session.flush()  # within the block: what the services changed is in the one event too
    counts.update(initiatives=len(plan.initiatives))
    return counts


def _benefit_row(initiative_id: int, benefit: dict) -> dict:
    row = {"initiative_id": initiative_id, **benefit}
    if row["volume"] is not None:
        row["annual_amount"] = calc.annual_amount_from_drivers(row["volume"], row["rate"], row["unit_value"])
    return row


def _write_initiatives(organisation, plan, member_ids: dict[str, int]) -> "Written":
    rows = []
    for initiative, _benefits in plan.initiatives:
        row = {key: value for key, value in initiative.items() if key != "owner_email"}
        row.update(organisation_id=organisation.id, owner_id=member_ids.get(initiative["owner_email"]),
                   target_stage=initiative["target_stage"] or None)
        for money in ("one_off_cost", "annual_running_cost"):
            if row[money] is None:
                row[money] = Decimal("0.00")
        rows.append(row)
    initiative_ids = _insert(Initiative, rows)
    benefit_rows = [_benefit_row(initiative_id, benefit)
                    for initiative_id, (_initiative, benefits) in zip(initiative_ids, plan.initiatives, strict=True)
                    for benefit in benefits]
    benefit_ids = iter(_insert(BenefitEstimate, benefit_rows))
    benefits = {(index, number): next(benefit_ids)
                for index, (_initiative, listed) in enumerate(plan.initiatives) for number in range(len(listed))}
    return Written(initiative_ids, {initiative["ref"]: i for (initiative, _b), i in zip(plan.initiatives,
                                                                                      initiative_ids, strict=True)},
                   rows, benefits)


class Written:
    """The ids the initiatives and their benefits were given, by position and by reference."""

    def __init__(self, ordered: list[int], by_ref: dict[str, int], rows: list[dict], benefits: dict):
        self.ordered, self.by_ref, self.rows, self.benefits = ordered, by_ref, rows, benefits


def _write_governance(governance: dict, ids: Written) -> dict:
    entries = governance.get("initiatives") or {}
    actor, on = current_actor().label, today()
    updates, milestones, slips, actuals = [], [], [], {}
    for index, initiative_id in enumerate(ids.ordered):
        entry = entries.get(index, {})
        if "status_updates" in entry:
            updates += [{"initiative_id": initiative_id, **values} for values in entry["status_updates"]]
        else:
            # As creating an initiative does: its history starts with where it stands.
            row = ids.rows[index]
            updates.append({"initiative_id": initiative_id, "posted_on": on, "author": actor,
                            "status": row["status"], "health": row["health"], "progress": row["progress"],
                            "note": tidy(_("Created."))})
        for values, its_slips in entry.get("milestones", []):
            milestones.append({"initiative_id": initiative_id, "title": values["title"], "due_on": values["due_on"],
                               "original_due_on": values["original_due_on"] or values["due_on"],
                               "done_on": values["done_on"]})
            slips.append(its_slips)
        for number, its_actuals in entry.get("actuals", {}).items():
            for actual in its_actuals:
                check_actual(actual["month"], actual["amount"], actual["note"])
                # A later amount for the same month replaces an earlier one, as recording it does.
                benefit_id = ids.benefits[(index, number)]
                month = actual["month"].replace(day=1)
                actuals[(benefit_id, month)] = {"benefit_id": benefit_id, "month": month,
                                                "amount": actual["amount"], "note": tidy(actual["note"])}
    _insert(StatusUpdate, updates)
    milestone_ids = _insert(Milestone, milestones)
    _insert(MilestoneSlip, [{"milestone_id": milestone_id, **slip}
                            for milestone_id, its_slips in zip(milestone_ids, slips, strict=True)
                            for slip in its_slips])
    _insert(BenefitActual, list(actuals.values()))
    dependencies = _dependencies(entries, ids)
    _insert(Dependency, [{"initiative_id": a, "depends_on_id": b} for a, b in dependencies])
    return {"status_updates": len(updates), "milestones": len(milestones), "dependencies": len(dependencies),
            "realised_amounts": len(actuals)}


def _dependencies(entries: dict, ids: Written) -> list[tuple[int, int]]:
    """Each (waiting, waited-for) pair once; an initiative waiting for itself or a loop is refused."""
    refs = {initiative_id: ref for ref, initiative_id in ids.by_ref.items()}
    edges: dict[int, list[int]] = defaultdict(list)
    pairs = []
    for index, entry in sorted(entries.items()):
        waiting = ids.ordered[index]
        for ref in entry.get("waits_for", []):
            needed = ids.by_ref[ref]
            if needed == waiting:
                raise DomainError({"depends_on": _("An initiative cannot wait for itself.")})
            if (waiting, needed) in pairs:
                raise DomainError({"depends_on": _("%(ref)s already waits for %(other)s.", ref=refs[waiting],
                                                   other=refs[needed])})
            pairs.append((waiting, needed))
            edges[waiting].append(needed)
    _refuse_loops(edges, refs)
    return pairs


def _refuse_loops(edges: dict[int, list[int]], refs: dict[int, str]) -> None:
    done, on_path = set(), set()
    for start in list(edges):
        if start in done:
            continue
        stack = [(start, iter(edges.get(start, ())))]
        on_path.add(start)
        while stack:
            node, rest = stack[-1]
            following = next(rest, None)
            if following is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
            elif following in on_path:
                raise DomainError({"depends_on": _("%(ref)s already waits for %(other)s: that would be a loop.",
                                                   ref=refs[following], other=refs[node])})
            elif following not in done:
                on_path.add(following)
                stack.append((following, iter(edges.get(following, ()))))
