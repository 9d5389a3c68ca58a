"""The roles a user can hold. Every user has exactly one."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    SAFEGUARDING_OFFICER = "safeguarding_officer"
    SAFEGUARDING_MANAGER = "safeguarding_manager"
    AGENCY_PRACTITIONER = "agency_practitioner"
    BOARD_MEMBER = "board_member"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.SAFEGUARDING_OFFICER: "Safeguarding officer",
    Role.SAFEGUARDING_MANAGER: "Safeguarding manager",
    Role.AGENCY_PRACTITIONER: "Agency practitioner",
    Role.BOARD_MEMBER: "Board member",
    Role.AUDITOR: "Auditor",
}
