"""Imports every model module so that the metadata is complete (for Alembic and tests)."""

from core.accesslog.models import AccessLogEntry
from core.agency_forms.models import FormShare, FormSubmission, FormVersion
from core.api.models import IdempotencyKey
from core.audits.models import (
    AttendanceAudit,
    AttendanceAuditQuoracy,
    AttendanceAuditRow,
    BoardAction,
)
from core.auth.models import Agency, ApiToken, PasswordReset, User, UserSession
from core.casefile.models import CaseFileAnswer, CaseFileAudit, CaseFileReview, ChecklistItem
from core.chronology.models import ChronologyEntry
from core.complaints.models import ComplaintEntry, ComplaintStage
from core.concerns.models import (
    BodyMapMark,
    CaseEvent,
    CaseNote,
    Concern,
    ConcernRiskType,
    EnquiryLocation,
    EnquirySource,
    Handover,
    Involvement,
    ReferenceCounter,
    SafeguardingEnquiry,
    Supervision,
)
from core.discharges.models import HospitalDischarge
from core.followups.models import ContactFollowUp
from core.mail.models import OutboxAttachment, OutboxMessage
from core.meetings.models import (
    Invitation,
    Meeting,
    MeetingAction,
    MeetingDecision,
    OtherAttendee,
    StandardInvitee,
)
from core.people.models import Establishment, Person
from core.plans.models import (
    ActionProgress,
    Plan,
    PlanAction,
    PlanCategoryChange,
    PlanReview,
)
from core.returns.models import (
    FiguresAlleged,
    FiguresClosed,
    FiguresDecided,
    FiguresPending,
    FiguresReceived,
    FiguresScreening,
    FiguresState,
)
from core.subject_access.models import SubjectAccessRequest
from core.tasks.models import Task
from core.training.models import TrainingRecord
from core.trust.models import TrustReferral, TrustReferralAction

__all__ = [
    "AccessLogEntry",
    "ActionProgress",
    "Agency",
    "ApiToken",
    "AttendanceAudit",
    "AttendanceAuditQuoracy",
    "AttendanceAuditRow",
    "BoardAction",
    "BodyMapMark",
    "CaseEvent",
    "CaseFileAnswer",
    "CaseFileAudit",
    "CaseFileReview",
    "CaseNote",
    "ChecklistItem",
    "ChronologyEntry",
    "ComplaintEntry",
    "ComplaintStage",
    "Concern",
    "ConcernRiskType",
    "ContactFollowUp",
    "EnquiryLocation",
    "EnquirySource",
    "Establishment",
    "FiguresAlleged",
    "FiguresClosed",
    "FiguresDecided",
    "FiguresPending",
    "FiguresReceived",
    "FiguresScreening",
    "FiguresState",
    "FormShare",
    "FormSubmission",
    "FormVersion",
    "Handover",
    "HospitalDischarge",
    "IdempotencyKey",
    "Invitation",
    "Involvement",
    "Meeting",
    "MeetingAction",
    "MeetingDecision",
    "OtherAttendee",
    "OutboxAttachment",
    "OutboxMessage",
    "PasswordReset",
    "Person",
    "Plan",
    "PlanAction",
    "PlanCategoryChange",
    "PlanReview",
    "ReferenceCounter",
    "SafeguardingEnquiry",
    "StandardInvitee",
    "SubjectAccessRequest",
    "Supervision",
    "Task",
    "TrainingRecord",
    "TrustReferral",
    "TrustReferralAction",
    "User",
    "UserSession",
]
