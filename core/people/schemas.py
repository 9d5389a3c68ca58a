"""Schemas of the people and establishments API."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema
from core.fields import Day, codes
from core.people.models import (
    EstablishmentStatus,
    InformedStatus,
    RelationshipKind,
    SupportOffer,
    TrustCapacity,
)
from core.reference import (
    Disability,
    EthnicGroup,
    Ethnicity,
    LocationOfRisk,
    PrimarySupportReason,
    Sex,
)


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    given_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    family_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    date_of_birth = Day(allow_none=True, load_default=None)
    estimated_age = ma.fields.Integer(
        allow_none=True, load_default=None, validate=ma.validate.Range(min=0, max=120)
    )
    nhs_number = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=14)
    )
    sex = ma.fields.String(validate=codes(Sex), load_default=None, allow_none=True)
    ethnicity = ma.fields.String(validate=codes(Ethnicity), load_default=None, allow_none=True)
    ethnic_group = ma.fields.String(
        validate=codes(EthnicGroup),
        load_default=None,
        allow_none=True,
        metadata={"description": "The DfE code (WBRI, MWBA, …); sets the broad ethnicity"},
    )
    upn = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=20),
        metadata={"description": "A child's unique pupil number, check letter first"},
    )
    disabilities = ma.fields.List(
        ma.fields.String(validate=codes(Disability)),
        load_default=list,
        validate=ma.validate.Length(max=len(Disability)),
        metadata={"description": "A child's disabilities as census codes (NONE alone)"},
    )
    primary_support_reason = ma.fields.String(
        validate=codes(PrimarySupportReason), load_default=None, allow_none=True
    )
    address = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    postcode = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    communication_needs = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    advocate = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    merged_into_id = ma.fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Set when this record was merged into another"},
    )


class MergeSchema(ma.Schema):
    into_id = id_field(
        required=True, metadata={"description": "The record to keep; this one is merged into it"}
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class PersonSearchArgs(PageArgs):
    name = ma.fields.String(
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "Part of the first or last name"},
    )
    date_of_birth = Day()
    nhs_number = ma.fields.String(validate=ma.validate.Length(max=14))


class EstablishmentSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=codes(LocationOfRisk))
    cqc_location_id = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=20)
    )
    ods_code = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    address = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    postcode = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    provider_agency_id = id_field(allow_none=True, load_default=None)
    status = ma.fields.Function(
        lambda place: place.status.value,
        dump_only=True,
        metadata={
            "description": "confirmed; proposed (by its provider, for the team to confirm: not "
            "offered for concerns or forms yet); declined",
            "enum": [status.value for status in EstablishmentStatus],
        },
    )
    declined_reason = ma.fields.String(dump_only=True, allow_none=True)


class EstablishmentProposalSchema(EstablishmentSchema):
    """A place the proposer's agency runs: it is its provider."""

    class Meta:
        exclude = ("provider_agency_id",)


class DeclineSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the establishment is declined (its proposer reads it)"},
    )


class EstablishmentListArgs(PageArgs):
    status = ma.fields.String(validate=codes(EstablishmentStatus))


class PersonUpdateSchema(PersonSchema):
    """A change to a person: only the details sent change."""


PersonPageSchema = page_schema(PersonSchema)
EstablishmentPageSchema = page_schema(EstablishmentSchema)


class EstablishmentUpdateSchema(EstablishmentSchema):
    """A change to an establishment: only the details sent change."""


# --- People around the case and the person alleged to have caused harm -------------------


class PersonNamingSchema(ma.Schema):
    """A person named by their record (``person_id``) or by their details (found by the
    duplicate check, the same NHS number or name and date of birth, or added)."""

    person_id = id_field(
        load_default=None,
        allow_none=True,
        metadata={"description": "An existing record; or give ``person`` (``other``)"},
    )


class RelationshipCreateSchema(PersonNamingSchema):
    other = ma.fields.Nested(
        PersonSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "The other person's details when not given by person_id"},
    )
    kind = ma.fields.String(
        required=True,
        validate=codes(RelationshipKind),
        metadata={"description": "How this person stands to the other: parent reads 'parent of'"},
    )
    detail = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    reversed = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "The other person stands to this one as kind says (child of)"},
    )


class RelationshipChangeSchema(ma.Schema):
    kind = ma.fields.String(validate=codes(RelationshipKind))
    detail = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))


class RelationshipEndArgs(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the relationship ended"},
    )
    ended_on = Day(load_default=None, metadata={"description": "Default today"})


class RelationshipSchema(ma.Schema):
    """A relationship as it reads from the person whose record it is read from."""

    id = ma.fields.Integer()
    relationship = ma.fields.String(metadata={"description": "e.g. 'Parent of', 'Child of'"})
    kind = ma.fields.String()
    recorded_from = ma.fields.String(
        metadata={"description": "this_person: the kind reads from them; other_person: reversed"}
    )
    detail = ma.fields.String(allow_none=True)
    other_person_id = ma.fields.Integer()
    other_person_name = ma.fields.String()
    ended_on = Day(allow_none=True)
    end_reason = ma.fields.String(allow_none=True)


class AllegedFactsSchema(ma.Schema):
    relationship_kind = ma.fields.String(
        validate=codes(RelationshipKind),
        metadata={"description": "How they stand to the person at risk"},
    )
    relationship_detail = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    informed = ma.fields.String(
        validate=codes(InformedStatus),
        metadata={"description": "informed (with informed_on), not_informed (with the reason)"},
    )
    informed_on = Day(allow_none=True)
    not_informed_reason = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    has_care_needs = ma.fields.Boolean(
        allow_none=True, metadata={"description": "An adult with care and support needs"}
    )
    support = ma.fields.String(
        allow_none=True,
        validate=codes(SupportOffer),
        metadata={
            "description": "With care and support needs: offered, accepted, declined, "
            "not_offered (with support_not_offered_reason)"
        },
    )
    support_not_offered_reason = ma.fields.String(
        allow_none=True, validate=ma.validate.Length(max=2000)
    )
    trust_capacity = ma.fields.String(
        allow_none=True,
        validate=codes(TrustCapacity),
        metadata={
            "description": "employed or volunteer in a position of trust (null: not in one), "
            "with the employer (trust_agency_id, trust_establishment_id or trust_employer) "
            "and trust_role"
        },
    )
    trust_agency_id = ma.fields.Integer(allow_none=True)
    trust_establishment_id = ma.fields.Integer(allow_none=True)
    trust_employer = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    trust_role = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))


class AllegedCreateSchema(AllegedFactsSchema, PersonNamingSchema):
    person = ma.fields.Nested(PersonSchema, load_default=None, allow_none=True)


class AllegedSchema(AllegedFactsSchema):
    id = ma.fields.Integer(dump_only=True)
    concern_id = ma.fields.Integer(dump_only=True)
    person_id = ma.fields.Integer(dump_only=True)
    person_name = ma.fields.Function(lambda a: a.person.full_name, dump_only=True)
    employer = ma.fields.String(
        attribute="employer_label",
        dump_only=True,
        metadata={"description": "In a position of trust at"},
    )
    other_concern_ids = ma.fields.Function(
        lambda a: getattr(a, "other_concern_ids", None),
        dump_only=True,
        metadata={"description": "The other concerns naming them (the safeguarding team only)"},
    )


class RemoveArgs(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why they are no longer named (named in error)"},
    )
