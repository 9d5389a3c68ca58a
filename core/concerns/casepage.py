"""What the case page shows of one case to one reader: its clocks, meetings, plans, tasks,
assessments, notes, oversight, the plugins' panels and the timeline, each as the reader
may see it. The page's view adds its forms; the policy decides what the reader may do."""

from __future__ import annotations

from typing import Any

from core.agency_forms.panels import CaseFormsReader
from core.auth.models import User
from core.chronology.operations import case_events
from core.clocks import ClockStatus, to_local
from core.concerns import assessments, operations
from core.concerns.models import Concern
from core.concerns.needs import level_of_need
from core.concerns.timeline import timeline_of
from core.db import utcnow
from core.followups import operations as follow_ups
from core.meetings import clocks as meeting_clocks
from core.meetings.types import type_label
from core.people import operations as people
from core.plans import operations as plan_operations
from core.platform import current_platform
from core.policy.cases import annotate, case_sections, is_case_team, may_read_note
from core.policy.meetings import meetings_shown
from core.policy.plans import plans_with_details
from core.policy.routes import user_can
from core.tasks.operations import case_tasks
from core.trust import operations as trust


def _panels(concern: Concern, user: User) -> list[Any]:
    """The plugins' panels for the case, in their order."""
    groups = current_platform().hook.case_panels(
        concern=operations.case_summary(concern),
        user=user,
        forms=CaseFormsReader(concern.id, user),
    )
    panels = [panel for group in groups for panel in group or ()]
    return sorted(panels, key=lambda panel: (panel.order, panel.title))


def case_page(concern: Concern, user: User) -> dict[str, Any]:
    """The page's sections the reader's involvement level shows (need to know): what it
    does not show is not even read."""
    sections = case_sections(user, concern)

    def shown(section: str, value: Any) -> Any:
        return value() if section in sections else []

    today = to_local(utcnow()).date()
    annotate([concern], user)
    final_at = concern.decision_final_at
    closed_on = meeting_clocks.closed_on(concern)
    screening = ClockStatus(
        concern.screening_due,
        to_local(final_at).date() if final_at else None,
        today,
        stopped_on=closed_on,
    )
    meetings = meeting_clocks.meetings_of([concern.id])[concern.id]
    plans = plan_operations.plans_of(concern)
    child_assessments = assessments.assessments_of(concern) if concern.is_child else []
    assessment_clocks = [
        meeting_clocks.Clock(
            "Assessment concluded (45 working days from the referral)",
            ClockStatus(a.due_on, a.authorised_on, today, stopped_on=closed_on),
        )
        for a in child_assessments
    ]
    alleged = shown("alleged_harm", lambda: people.alleged_of(concern))
    return {
        "concern": concern,
        "sections": sections,
        # the people around the person at risk, from their side ("Child of")
        "people_around": shown(
            "people_around",
            lambda: [
                (link, *link.seen_from(concern.person_id))
                for link in people.relationships_of(concern.person_id, include_ended=False)
            ],
        ),
        "alleged": alleged,
        # PiPoT or LADO referrals about them (read where they are read)
        "trust_referrals": shown("alleged_harm", lambda: trust.referrals_of(concern)),
        # the other concerns naming each of them: the safeguarding team's only
        "alleged_elsewhere": people.other_concerns_naming(alleged) if is_case_team(user) else {},
        "need": level_of_need(concern.level_of_need),
        "earlier": shown("history", lambda: concern.earlier),  # type: ignore[attr-defined]
        "involvements": shown("involvements", lambda: concern.involvements),  # type: ignore[attr-defined]
        "events": shown("timeline", lambda: timeline_of(concern, user)),
        # the chronology's events as the reader's involvement shows them (each by section)
        "chronology": case_events(concern, user),
        "panels": shown("forms", lambda: _panels(concern, user)),
        "screening": screening,
        "meetings": shown("meetings", lambda: meetings_shown(user, meetings)),
        "meeting_clocks": shown(
            "clocks",
            lambda: (
                assessment_clocks
                + meeting_clocks.concern_clocks(concern, meetings)
                + plan_operations.review_clocks(plans, closed_on)
            ),
        ),
        "meeting_type_label": type_label,
        "plans": shown("plans", lambda: plans),
        "plan_details": plans_with_details(user, plans),
        "can_start_plan": user_can(user, "plans.manage")
        and not any(p.status.value == "open" for p in plans),
        "assessments": shown("assessments", lambda: child_assessments),
        "notes": shown(
            "notes", lambda: [(n, may_read_note(user, n)) for n in operations.notes_of(concern)]
        ),
        "supervisions": shown("supervisions", lambda: operations.supervisions_of(concern)),
        "reviews": shown("decision", lambda: operations.reviews_of(concern)),
        "marks": shown("body_map", lambda: operations.body_map_of(concern)),
        # the case's tasks the reader may see (a partner: those for it or for them)
        "tasks": case_tasks(user, concern) if user_can(user, "tasks.view") else None,
        "can_set_task": user_can(user, "tasks.set") and concern.status.value == "open",
        "now": utcnow(),
        "follow_up": follow_ups.follow_up_of(concern)
        if user_can(user, "follow_ups.manage")
        else None,
    }
