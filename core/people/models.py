"""People the concerns are about, and the establishments where risk arises."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import (
    Disability,
    EthnicGroup,
    Ethnicity,
    Labelled,
    LocationOfRisk,
    PrimarySupportReason,
    Sex,
)

if TYPE_CHECKING:
    from core.auth.models import Agency, User


class Person(db.Model):
    """An adult or child at risk. Never deleted by a user: a merged record points to the
    one kept. Retention purges it, with the records merged into it, with the last case or
    plan that refers to it."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    # exact date when known; otherwise an estimated age on the day recorded
    date_of_birth: Mapped[date | None] = mapped_column(sa.Date)
    estimated_age: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # ten digits, validated check digit; optional
    nhs_number: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    sex: Mapped[Sex] = mapped_column(enum_column(Sex), default=Sex.NOT_KNOWN)
    ethnicity: Mapped[Ethnicity] = mapped_column(
        enum_column(Ethnicity), default=Ethnicity.NOT_KNOWN
    )
    # the detailed ethnic group (DfE codes) where known; ``ethnicity`` is its broad group
    ethnic_group: Mapped[EthnicGroup | None] = mapped_column(enum_column(EthnicGroup))
    # a child's unique pupil number (13 characters, check letter first), where known
    upn: Mapped[str | None] = mapped_column(sa.String(13), index=True)
    disability_rows: Mapped[list[PersonDisability]] = relationship(
        cascade="all, delete-orphan", order_by="PersonDisability.disability"
    )
    primary_support_reason: Mapped[PrimarySupportReason] = mapped_column(
        enum_column(PrimarySupportReason), default=PrimarySupportReason.NOT_KNOWN
    )
    address: Mapped[str | None] = mapped_column(sa.Text)
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    # e.g. interpreter, British Sign Language, easy read
    communication_needs: Mapped[str | None] = mapped_column(sa.Text)
    # name and contact of an advocate, if any
    advocate: Mapped[str | None] = mapped_column(sa.Text)
    # set when a manager merged this record into another; all history moves there
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # when, by whom and why the record was merged (kept, never deleted)
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    merge_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_people_name_dob", "family_name", "given_name", "date_of_birth"),
        sa.CheckConstraint(
            "estimated_age IS NULL OR estimated_age BETWEEN 0 AND 120", name="estimated_age_range"
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name="not_self_merged"
        ),
    )

    def __repr__(self) -> str:
        return f"<Person {self.id}>"

    @property
    def disabilities(self) -> list[Disability]:
        """A child's disabilities as the census codes them (empty: not recorded)."""
        return [row.disability for row in self.disability_rows]

    @disabilities.setter
    def disabilities(self, codes: list[Disability]) -> None:
        wanted = set(codes)
        self.disability_rows = [r for r in self.disability_rows if r.disability in wanted]
        have = {row.disability for row in self.disability_rows}
        self.disability_rows += [PersonDisability(disability=d) for d in sorted(wanted - have)]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_spaced(self) -> str | None:
        """The NHS number as people read it: 943 476 5919."""
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if n else None


class PersonDisability(db.Model):
    """One of a child's disabilities (CIN census codes)."""

    __tablename__ = "person_disabilities"

    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    disability: Mapped[Disability] = mapped_column(enum_column(Disability), primary_key=True)

    def __repr__(self) -> str:
        return f"<PersonDisability {self.person_id} {self.disability.value}>"


class EstablishmentStatus(Labelled):
    """Whether the safeguarding team has confirmed an establishment. A provider may
    propose one it runs (issue 22): it is used only once the team confirms it."""

    CONFIRMED = ("confirmed", "Confirmed")
    PROPOSED = ("proposed", "Proposed by its provider, for the team to confirm")
    DECLINED = ("declined", "Declined by the safeguarding team")


class Establishment(db.Model):
    """A care home, hospital or other service where concerns can be located."""

    __tablename__ = "establishments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # the SAC location this establishment counts as
    kind: Mapped[LocationOfRisk] = mapped_column(enum_column(LocationOfRisk))
    # CQC location id (1-…) for registered care; ODS site code for NHS premises
    cqc_location_id: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    ods_code: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    address: Mapped[str | None] = mapped_column(sa.Text)
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    # the agency that runs it (care provider, NHS trust), when it is a partner
    provider_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    status: Mapped[EstablishmentStatus] = mapped_column(
        enum_column(EstablishmentStatus),
        default=EstablishmentStatus.CONFIRMED,
        server_default=EstablishmentStatus.CONFIRMED.value,
    )
    # who proposed it (a provider's practitioner), and why the team declined it
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    declined_reason: Mapped[str | None] = mapped_column(sa.Text)

    provider_agency: Mapped[Agency | None] = relationship()
    proposed_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Establishment {self.id} {self.kind.value}>"


def survivor_of(person: Person) -> Person:
    """The record a merged record now lives in (following merges of merges)."""
    seen = {person.id}
    while person.merged_into_id is not None:
        kept = db.session.get(Person, person.merged_into_id)
        if kept is None or kept.id in seen:
            break
        seen.add(kept.id)
        person = kept
    return person


class RelationshipKind(Labelled):
    """How one person stands to another. ``label`` reads from the person recorded first
    ("Parent of"); :attr:`reverse` from the other ("Child of")."""

    HOUSEHOLD = ("household", "Household member")
    PARENT = ("parent", "Parent")
    CARER = ("carer", "Carer")
    PARTNER = ("partner", "Partner")
    SIBLING = ("sibling", "Sibling")
    PROFESSIONAL = ("professional", "Professional")
    OTHER = ("other", "Other")

    @property
    def forward(self) -> str:
        return _RELATIONSHIP_WORDS[self.value][0]

    @property
    def reverse(self) -> str:
        return _RELATIONSHIP_WORDS[self.value][1]


# how each kind reads from either end: (the person recorded first, the other person)
_RELATIONSHIP_WORDS = {
    "household": ("Lives in the same household as", "Lives in the same household as"),
    "parent": ("Parent of", "Child of"),
    "carer": ("Carer of", "Cared for by"),
    "partner": ("Partner of", "Partner of"),
    "sibling": ("Sibling of", "Sibling of"),
    "professional": ("Professional working with", "Has as a professional"),
    "other": ("Known to", "Known to"),
}


class PersonRelationship(db.Model):
    """``person`` stands to ``other`` as ``kind`` says (a parent of, a carer of…); shown
    from both ends. Ended, never deleted by a user; retention purges it with either
    person."""

    __tablename__ = "person_relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    kind: Mapped[RelationshipKind] = mapped_column(enum_column(RelationshipKind))
    # what the relationship is, in words (needed for "other" and "professional")
    detail: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # ended (moved out, separated, no longer the carer…) with the day and why
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    other: Mapped[Person] = relationship(foreign_keys=[other_id])

    __table_args__ = (sa.CheckConstraint("person_id <> other_id", name="not_to_self"),)

    def __repr__(self) -> str:
        return f"<PersonRelationship {self.id} {self.kind.value}>"

    def seen_from(self, person_id: int) -> tuple[str, Person]:
        """How the relationship reads from ``person_id``'s record, and who it is with."""
        words = self.kind.forward if person_id == self.person_id else self.kind.reverse
        if self.detail:
            words = f"{words} ({self.detail})"
        return words, self.other if person_id == self.person_id else self.person


class InformedStatus(Labelled):
    """Whether the person alleged to have caused harm was told of the concern (Dudley's
    multi-agency procedures, 2.8: inform the person alleged to have caused harm unless it
    would put anyone at risk or prejudice a police investigation)."""

    INFORMED = ("informed", "Informed")
    NOT_INFORMED = ("not_informed", "Not informed")
    NOT_YET = ("not_yet", "Not decided yet")


class SupportOffer(Labelled):
    """Support offered to a person alleged to have caused harm who has care and support
    needs themselves (Dudley's plan, 4.11)."""

    OFFERED = ("offered", "Offered, no answer yet")
    ACCEPTED = ("accepted", "Offered and accepted")
    DECLINED = ("declined", "Offered and declined")
    NOT_OFFERED = ("not_offered", "Not offered")


class TrustCapacity(Labelled):
    """How a person alleged to have caused harm holds a position of trust (Care and support
    statutory guidance, 14.120 to 14.132; Working Together to Safeguard Children 2023,
    chapter 4): paid or unpaid."""

    EMPLOYED = ("employed", "Employed")
    VOLUNTEER = ("volunteer", "Volunteer")


class AllegedPerson(db.Model):
    """A person alleged to have caused harm in a concern, as a person record, with their
    relationship to the person at risk. Read by the safeguarding team and agencies
    involved in full only (the case section ``alleged_harm``)."""

    __tablename__ = "concern_alleged_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # how they stand to the person at risk (core/people/models.py RelationshipKind)
    relationship_kind: Mapped[RelationshipKind] = mapped_column(enum_column(RelationshipKind))
    relationship_detail: Mapped[str | None] = mapped_column(sa.String(200))
    # told of the concern, when, or why not
    informed: Mapped[InformedStatus] = mapped_column(
        enum_column(InformedStatus), default=InformedStatus.NOT_YET
    )
    informed_on: Mapped[date | None] = mapped_column(sa.Date)
    not_informed_reason: Mapped[str | None] = mapped_column(sa.Text)
    # an adult with care and support needs themselves (None: not known)
    has_care_needs: Mapped[bool | None] = mapped_column()
    support: Mapped[SupportOffer | None] = mapped_column(enum_column(SupportOffer))
    support_not_offered_reason: Mapped[str | None] = mapped_column(sa.Text)
    # employed or volunteering in a position of trust (None: not in one), where (an agency,
    # an establishment or a name) and in what role
    trust_capacity: Mapped[TrustCapacity | None] = mapped_column(enum_column(TrustCapacity))
    trust_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    trust_establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishments.id"))
    trust_employer: Mapped[str | None] = mapped_column(sa.String(200))
    trust_role: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # removed (named in error), kept with why
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    person: Mapped[Person] = relationship()
    trust_agency: Mapped[Agency | None] = relationship()
    trust_establishment: Mapped[Establishment | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def in_position_of_trust(self) -> bool:
        return self.trust_capacity is not None

    @property
    def employer_label(self) -> str | None:
        """Where they hold the position of trust, by name."""
        if self.trust_agency is not None:
            return self.trust_agency.name
        if self.trust_establishment is not None:
            return self.trust_establishment.name
        return self.trust_employer

    def __repr__(self) -> str:
        return f"<AllegedPerson {self.id} concern {self.concern_id}>"

    @property
    def relationship_label(self) -> str:
        words = self.relationship_kind.label
        return f"{words}: {self.relationship_detail}" if self.relationship_detail else words
