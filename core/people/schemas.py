"""Schemas of the people and establishments API."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema
from core.fields import Day, codes
from core.people.models import EstablishmentStatus
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
