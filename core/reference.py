"""The national category lists, with the exact labels of the Safeguarding Adults
Collection (SAC) and the children-in-need (CIN) census.

Each list is an enum stored by its code; ``label`` is what people read and what returns
print, copied word for word from the published text named above the list. Change a label
only when the national return changes it, and change the copy of the published list in
``tests/reference/national_lists.json`` with it (the tests compare the two).

Sources:

- SAC: "Safeguarding adults collection (SAC) data return, 2025 to 2026: guidance for local
  authorities", Department of Health and Social Care, published 29 January 2026, with its
  submission template; the tables and answer lists are those of "Guidance for completing the
  Safeguarding Adults Collection (SAC) 2024-25", NHS England ("there are no changes to the
  data requirements for the 2025 to 2026 collection").
- CIN census: "Children in need census 2025 to 2026: guide", Department for Education.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date


class Labelled(enum.StrEnum):
    """An enum whose members carry the label used on pages and in returns."""

    label: str

    def __new__(cls, code: str, label: str) -> Labelled:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


# SAC 2025-26: type of risk (the case detail tables, section 2).
class TypeOfRisk(Labelled):
    PHYSICAL = ("physical", "Physical Abuse")
    SEXUAL = ("sexual", "Sexual Abuse")
    PSYCHOLOGICAL = ("psychological", "Psychological Abuse")
    FINANCIAL = ("financial", "Financial or Material Abuse")
    DISCRIMINATORY = ("discriminatory", "Discriminatory Abuse")
    ORGANISATIONAL = ("organisational", "Organisational Abuse")
    NEGLECT = ("neglect", "Neglect and Acts of Omission")
    DOMESTIC = ("domestic", "Domestic Abuse")
    SEXUAL_EXPLOITATION = ("sexual_exploitation", "Sexual Exploitation")
    MODERN_SLAVERY = ("modern_slavery", "Modern Slavery")
    SELF_NEGLECT = ("self_neglect", "Self-Neglect")


# Working Together to Safeguard Children 2023, appendix A (glossary: "physical abuse",
# "emotional abuse", "sexual abuse", "neglect"): the four categories of abuse and neglect,
# which the CIN census codes too (PHY, EMO, SAB, NEG). A child's concern takes only these,
# each stored as the type of risk it matches (emotional abuse as psychological abuse), so
# that one column holds the adults' SAC types and the children's categories.
CHILD_CATEGORIES = {
    TypeOfRisk.PHYSICAL: "Physical abuse",
    TypeOfRisk.PSYCHOLOGICAL: "Emotional abuse",
    TypeOfRisk.SEXUAL: "Sexual abuse",
    TypeOfRisk.NEGLECT: "Neglect",
}


def risk_label(risk: TypeOfRisk, child: bool) -> str:
    """How a type of risk reads on a case: a child's by its category of abuse."""
    return CHILD_CATEGORIES.get(risk, risk.label) if child else risk.label


# SAC 2025-26: location of risk (the case detail tables, section 2).
class LocationOfRisk(Labelled):
    OWN_HOME = ("own_home", "Own Home")
    COMMUNITY = ("community", "In the Community (excluding community services)")
    COMMUNITY_SERVICE = ("community_service", "In a Community Service")
    CARE_HOME_NURSING = ("care_home_nursing", "Care Home – Nursing")
    CARE_HOME_RESIDENTIAL = ("care_home_residential", "Care Home – Residential")
    HOSPITAL_ACUTE = ("hospital_acute", "Hospital – Acute")
    HOSPITAL_MENTAL_HEALTH = ("hospital_mental_health", "Hospital – Mental Health")
    HOSPITAL_COMMUNITY = ("hospital_community", "Hospital – Community")
    OTHER = ("other", "Other")


# Hate and mate crime (Dudley's safeguarding adults plan, 4.9: "improve public awareness,
# reporting and monitoring of hate crime incidents"). A hate crime is one "perceived by
# the victim or any other person to be motivated by a hostility or prejudice" towards a
# personal characteristic (College of Policing, Hate Crime Operational Guidance, 2014,
# section 1.2); a mate crime is a hate crime by someone who befriended the person to
# exploit them, usually a disabled person (the term of the Association for Real Change and
# the learning disability partnership boards; no statute).
class HateCrime(Labelled):
    HATE = ("hate", "Hate crime or hate incident")
    MATE = ("mate", "Mate crime (befriended in order to exploit)")


# The five centrally monitored strands of hate crime: race or ethnicity, religion or
# beliefs, sexual orientation, disability and transgender identity (Home Office, Hate
# crime, England and Wales, year ending March 2024, statistical bulletin, "Introduction";
# College of Policing, Hate Crime Operational Guidance, 2014, section 1.2.1).
class HateStrand(Labelled):
    RACE = ("race", "Race or ethnicity")
    RELIGION = ("religion", "Religion or beliefs")
    SEXUAL_ORIENTATION = ("sexual_orientation", "Sexual orientation")
    DISABILITY = ("disability", "Disability")
    TRANSGENDER = ("transgender", "Transgender identity")


# Positions of trust: when the person alleged to have caused harm works or volunteers in a
# position of trust, the council refers the allegation on to its own process, beside the
# safeguarding work about the person at risk. For adults, the framework for people in
# positions of trust (PiPoT: Department of Health and Social Care, Care and support
# statutory guidance, chapter 14, paragraphs 14.120 to 14.132); for children, the local
# authority designated officer (LADO: HM Government, Working Together to Safeguard
# Children 2023, chapter 4, "Organisational responsibilities", on allegations against
# people who work with children).
class TrustProcess(Labelled):
    PIPOT = ("pipot", "PiPoT referral (adult: person in a position of trust)")
    LADO = ("lado", "LADO referral (child: local authority designated officer)")


# The outcomes of an allegation against a person in a position of trust, in the published
# order: "the following definitions should be used when determining the outcome of
# allegation investigations" (Department for Education, Keeping Children Safe in
# Education 2024, statutory guidance, Part four, section one, "Outcomes of allegations";
# the LADO's outcomes, used by councils for PiPoT referrals too).
class TrustOutcome(Labelled):
    SUBSTANTIATED = ("substantiated", "Substantiated")
    MALICIOUS = ("malicious", "Malicious")
    FALSE = ("false", "False")
    UNSUBSTANTIATED = ("unsubstantiated", "Unsubstantiated")
    UNFOUNDED = ("unfounded", "Unfounded")


# Safeguarding training levels of health care staff, levels 1 to 5 for children and for
# adults (Royal College of Paediatrics and Child Health and others, "Safeguarding children
# and young people: roles and competencies for healthcare staff", Intercollegiate
# Document, fourth edition, January 2019, section 2 "Competency framework"; Royal College
# of Nursing and others, "Adult safeguarding: roles and competencies for health care
# staff", Intercollegiate Document, second edition, 2024, section 3 "Competency
# framework"). Level 1: all staff working in health care settings; level 2: those in
# contact with patients and families; level 3: registered staff who assess, plan and
# evaluate; level 4: named professionals; level 5: designated professionals.
class TrainingLevel(Labelled):
    CHILDREN_1 = ("children_1", "Children: level 1")
    CHILDREN_2 = ("children_2", "Children: level 2")
    CHILDREN_3 = ("children_3", "Children: level 3")
    CHILDREN_4 = ("children_4", "Children: level 4 (named professionals)")
    CHILDREN_5 = ("children_5", "Children: level 5 (designated professionals)")
    ADULTS_1 = ("adults_1", "Adults: level 1")
    ADULTS_2 = ("adults_2", "Adults: level 2")
    ADULTS_3 = ("adults_3", "Adults: level 3")
    ADULTS_4 = ("adults_4", "Adults: level 4 (named professionals)")
    ADULTS_5 = ("adults_5", "Adults: level 5 (designated professionals)")


# How long safeguarding training stays current: both intercollegiate documents ask for
# refresher training "over a three-year period" at every level (children's document,
# 2019, section 2, each level's "Training, education and learning"; adults' document,
# 2024, section 3, the same). A record without its own expiry date expires this many
# months after it was completed.
TRAINING_REFRESHER_MONTHS = 36


# SAC 2025-26: source of risk (the case detail tables, section 2).
class SourceOfRisk(Labelled):
    SERVICE_PROVIDER = ("service_provider", "Service Provider")
    KNOWN = ("known", "Other – Known to individual")
    UNKNOWN = ("unknown", "Other – Unknown to individual")


# SAC 2025-26: risk assessment outcome (the case detail tables, section 2).
class RiskOutcome(Labelled):
    IDENTIFIED_ACTION = ("identified_action", "Risk identified and action taken")
    IDENTIFIED_NO_ACTION = ("identified_no_action", "Risk identified and no action taken")
    INCONCLUSIVE_ACTION = (
        "inconclusive_action",
        "Risk – assessment inconclusive and action taken",
    )
    INCONCLUSIVE_NO_ACTION = (
        "inconclusive_no_action",
        "Risk – assessment inconclusive and no action taken",
    )
    NONE_ACTION = ("none_action", "No risk identified and action taken")
    NONE_NO_ACTION = ("none_no_action", "No risk identified and no action taken")
    CEASED = (
        "ceased_at_request",
        "Enquiry ceased at individual's request and no action taken",
    )

    @property
    def action_taken(self) -> bool:
        return self in {
            RiskOutcome.IDENTIFIED_ACTION,
            RiskOutcome.INCONCLUSIVE_ACTION,
            RiskOutcome.NONE_ACTION,
        }

    @property
    def result_recorded(self) -> bool:
        """Whether the result (risk remained, reduced or removed) is asked: only where a
        risk was identified, or the assessment was inconclusive, and action was taken (SAC
        2025-26 guidance, case detail tables). "No risk identified and action taken" has
        no risk whose result could be counted."""
        return self in {RiskOutcome.IDENTIFIED_ACTION, RiskOutcome.INCONCLUSIVE_ACTION}


# SAC 2025-26: the result where a risk was identified or the assessment was inconclusive
# and action was taken (the case detail tables, section 2).
class RiskAfterAction(Labelled):
    REMAINED = ("remained", "Risk remained")
    REDUCED = ("reduced", "Risk reduced")
    REMOVED = ("removed", "Risk removed")


# SAC 2025-26: Making Safeguarding Personal, was the individual or their representative
# asked about their desired outcomes (section 4). The code ``not_asked`` is the answer "No".
class MspAsked(Labelled):
    EXPRESSED = ("asked_expressed", "Yes, they were asked and outcomes were expressed")
    NOT_EXPRESSED = ("asked_not_expressed", "Yes, they were asked but no outcomes were expressed")
    NOT_ASKED = ("not_asked", "No")
    DONT_KNOW = ("dont_know", "Don't know")
    NOT_RECORDED = ("not_recorded", "Not recorded")


# SAC 2025-26: Making Safeguarding Personal, only where outcomes were expressed: were they
# achieved (section 4).
class MspAchieved(Labelled):
    FULLY = ("fully", "Fully achieved")
    PARTIALLY = ("partially", "Partially achieved")
    NOT = ("not", "Not achieved")


# SAC 2025-26: did the individual lack capacity (section 3); the same answers for
# "supported by an advocate, family or friend".
class LackedCapacity(Labelled):
    YES = ("yes", "Yes")
    NO = ("no", "No")
    DONT_KNOW = ("dont_know", "Don't know")
    NOT_RECORDED = ("not_recorded", "Not recorded")


# SAC 2025-26: gender of the individual (section 1, demographics).
class Sex(Labelled):
    MALE = ("male", "Male")
    FEMALE = ("female", "Female")
    NOT_KNOWN = ("not_known", "Not known")


# SAC 2025-26: ethnicity, the broad groups (section 1, demographics).
class Ethnicity(Labelled):
    WHITE = ("white", "White")
    MIXED = ("mixed", "Mixed / Multiple")
    ASIAN = ("asian", "Asian / Asian British")
    BLACK = ("black", "Black / African / Caribbean / Black British")
    OTHER = ("other", "Other Ethnic Group")
    REFUSED = ("refused", "Refused")
    NOT_KNOWN = ("not_known", "Undeclared / Not Known")


# DfE "Ethnicity" code set (the school and children in need censuses; CIN census 2025 to
# 2026 guide, annex A, N00177), each in the SAC's broad group above (the 2011 census
# classification: Chinese in "Asian / Asian British").
class EthnicGroup(Labelled):
    WBRI = ("WBRI", "White - British")
    WIRI = ("WIRI", "White - Irish")
    WIRT = ("WIRT", "Traveller of Irish heritage")
    WOTH = ("WOTH", "Any other White background")
    WROM = ("WROM", "Gypsy/Roma")
    MWBC = ("MWBC", "White and Black Caribbean")
    MWBA = ("MWBA", "White and Black African")
    MWAS = ("MWAS", "White and Asian")
    MOTH = ("MOTH", "Any other mixed background")
    AIND = ("AIND", "Indian")
    APKN = ("APKN", "Pakistani")
    ABAN = ("ABAN", "Bangladeshi")
    AOTH = ("AOTH", "Any other Asian background")
    BCRB = ("BCRB", "Black Caribbean")
    BAFR = ("BAFR", "Black - African")
    BOTH = ("BOTH", "Any other Black background")
    CHNE = ("CHNE", "Chinese")
    OOTH = ("OOTH", "Any other ethnic group")
    REFU = ("REFU", "Refused")
    NOBT = ("NOBT", "Information not yet obtained")

    @property
    def broad(self) -> Ethnicity:
        """The SAC's broad group of this ethnic group."""
        first = self.value[0]
        if self in (EthnicGroup.REFU, EthnicGroup.NOBT):
            return Ethnicity.REFUSED if self == EthnicGroup.REFU else Ethnicity.NOT_KNOWN
        if self == EthnicGroup.CHNE:
            return Ethnicity.ASIAN
        return {
            "W": Ethnicity.WHITE,
            "M": Ethnicity.MIXED,
            "A": Ethnicity.ASIAN,
            "B": Ethnicity.BLACK,
            "O": Ethnicity.OTHER,
        }[first]


# CIN census 2025 to 2026 guide, annex A, "Disability" (N00099): a disabled child's
# disabilities; NONE stands alone (rule 8790).
class Disability(Labelled):
    NONE = ("NONE", "No disability")
    MOB = ("MOB", "Mobility")
    HAND = ("HAND", "Hand function")
    PC = ("PC", "Personal care")
    INC = ("INC", "Incontinence")
    COMM = ("COMM", "Communication")
    LD = ("LD", "Learning")
    HEAR = ("HEAR", "Hearing")
    VIS = ("VIS", "Vision")
    BEH = ("BEH", "Behaviour")
    CON = ("CON", "Consciousness")
    AUT = ("AUT", "Diagnosed with autism or Asperger syndrome")
    DDA = ("DDA", "Other DDA")


# A guide to the unique pupil number (UPN), DfE, version 1.2, section "check letter": the
# first character of a UPN is a check letter computed from the other twelve (characters
# 2 to 4 are the allocating local authority's number, 5 to 12 digits; character 13 a
# digit, or a letter in a temporary UPN).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_PATTERN = re.compile(rf"^[{UPN_LETTERS}]\d{{11}}[0-9{UPN_LETTERS}]$")


def _check_letter(twelve: str) -> str:
    """Characters 2 to 13 weighted 2 to 13, summed, modulo 23, as a letter (a letter in
    place of a digit counts its position in the check alphabet)."""
    values = [int(c) if c.isdigit() else UPN_LETTERS.index(c) for c in twelve]
    total = sum(value * weight for value, weight in zip(values, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23]


def valid_upn(raw: str) -> bool:
    """A well-formed UPN (a temporary one ends in a letter) whose check letter is right."""
    upn = raw.strip().upper()
    return bool(UPN_PATTERN.match(upn)) and _check_letter(upn[1:]) == upn[0]


def upn_with_check_letter(twelve: str) -> str:
    """The UPN for the twelve characters after its check letter."""
    return _check_letter(twelve) + twelve


# SAC 2025-26: primary support reason (section 1, demographics), the adult social care
# data dictionary's list.
class PrimarySupportReason(Labelled):
    ACCESS_MOBILITY = ("access_mobility", "Physical Support: Access & mobility only")
    PERSONAL_CARE = ("personal_care", "Physical Support: Personal care support")
    VISUAL = ("visual", "Sensory Support: Support for visual impairment")
    HEARING = ("hearing", "Sensory Support: Support for hearing impairment")
    DUAL_SENSORY = ("dual_sensory", "Sensory Support: Support for dual impairment")
    MEMORY_COGNITION = ("memory_cognition", "Support with Memory & Cognition")
    LEARNING_DISABILITY = ("learning_disability", "Learning Disability Support")
    MENTAL_HEALTH = ("mental_health", "Mental Health Support")
    SUBSTANCE_MISUSE = ("substance_misuse", "Social Support: Substance misuse support")
    ASYLUM_SEEKER = ("asylum_seeker", "Social Support: Asylum seeker support")
    SOCIAL_ISOLATION = ("social_isolation", "Social Support: Support for Social Isolation/Other")
    NO_SUPPORT = ("no_support", "No Support Reason")
    NOT_KNOWN = ("not_known", "Not Known")


# CIN census 2025 to 2026 guide, child protection plans: category of abuse, by the census
# codes and their labels.
class PlanCategory(Labelled):
    """Child protection plan categories, by their census codes."""

    NEG = ("NEG", "Neglect")
    PHY = ("PHY", "Physical abuse")
    EMO = ("EMO", "Emotional abuse")
    SAB = ("SAB", "Sexual abuse")
    MUL = ("MUL", "Multiple/not recommended")


# CIN census 2025 to 2026 guide, annex A, "Referral source" (N00152): who referred the
# child to children's social care, by the census codes and their labels.
class ReferralSource(Labelled):
    FAMILY = ("1A", "Individual: family member/relative/carer")
    ACQUAINTANCE = ("1B", "Individual: acquaintance (including neighbours and child minders)")
    SELF = ("1C", "Individual: self")
    INDIVIDUAL_OTHER = ("1D", "Individual: other")
    SCHOOLS = ("2A", "Schools")
    EDUCATION = ("2B", "Education services")
    GP = ("3A", "Health services: GP")
    HEALTH_VISITOR = ("3B", "Health services: health visitor")
    SCHOOL_NURSE = ("3C", "Health services: school nurse")
    PRIMARY_HEALTH = ("3D", "Health services: other primary health services")
    EMERGENCY = ("3E", "Health services: A&E (emergency department)")
    HEALTH_OTHER = ("3F", "Health services: other (e.g. hospice)")
    HOUSING = ("4", "Housing (LA housing or housing association)")
    LA_SOCIAL_CARE = ("5A", "LA services: social care e.g. adults social care")
    LA_INTERNAL = ("5B", "LA services: other internal department")
    LA_EXTERNAL = ("5C", "LA services: external e.g. from another LA's adult social care")
    EARLY_HELP = ("5D", "Early help")
    POLICE = ("6", "Police")
    LEGAL = ("7", "Other legal agency (including courts, probation, immigration, CAFCASS)")
    OTHER = ("8", "Other")
    ANONYMOUS = ("9", "Anonymous")
    UNKNOWN = ("10", "Unknown")


# CIN census 2025 to 2026 guide, annex A, "Primary need code" (N00101): the main reason the
# child was assessed to need services.
class PrimaryNeed(Labelled):
    N0 = ("N0", "Not stated")
    N1 = ("N1", "Abuse or neglect")
    N2 = ("N2", "Child's disability or illness")
    N3 = ("N3", "Parental disability or illness")
    N4 = ("N4", "Family in acute stress")
    N5 = ("N5", "Family dysfunction")
    N6 = ("N6", "Socially unacceptable behaviour")
    N7 = ("N7", "Low income")
    N8 = ("N8", "Absent parenting")
    N9 = ("N9", "Cases other than children in need")


# CIN census 2025 to 2026 guide, annex A, "Reason for closure" (N00103). RC9 was added to the
# census after RC1-RC8 and is in the DfE's 2025 to 2026 validation rules (8640, 8825Q).
class ClosureReason(Labelled):
    RC1 = ("RC1", "Adopted")
    RC2 = ("RC2", "Died")
    RC3 = ("RC3", "Child arrangements order")
    RC4 = ("RC4", "Special guardianship order")
    RC5 = ("RC5", "Transferred to services of another local authority")
    RC6 = ("RC6", "Transferred to adult social care services")
    RC7 = ("RC7", "Services ceased for any other reason, including child no longer in need")
    RC8 = ("RC8", "Case closed after assessment, no further action")
    RC9 = ("RC9", "Case closed after assessment, referred to early help")

    @property
    def after_assessment(self) -> bool:
        """RC8 and RC9 close a case at its assessment: nothing may follow it (rule 2990)."""
        return self in (ClosureReason.RC8, ClosureReason.RC9)


# Outcomes at closure of a child's case, for the child and family: the list of Somerset
# County Council's edge of care and family support services ("Outcomes at closure":
# maintained at home, refused service/no consent, referred elsewhere, accommodated,
# transferred out, other; and "Step down from CSC", "Step up to CSC"), in the children's
# services update to the Somerset Safeguarding Children Board, Q1 2018-19 (the council
# document of issue 25, item 8). A local list, not a national return: the CIN census reason
# for closure (ClosureReason) is recorded beside it.
class FamilyOutcome(Labelled):
    MAINTAINED_AT_HOME = ("maintained_at_home", "Remained at home (maintained at home)")
    LOOKED_AFTER = ("looked_after", "Became looked after (accommodated)")
    STEPPED_DOWN = ("stepped_down", "Stepped down to early help")
    STEPPED_UP = ("stepped_up", "Stepped up to children's social care")
    REFERRED_ELSEWHERE = ("referred_elsewhere", "Referred elsewhere")
    REFUSED = ("refused", "Refused service / no consent")
    TRANSFERRED_OUT = ("transferred_out", "Transferred out")
    OTHER = ("other", "Other")


# CIN census 2025 to 2026 guide, annex A, "Factors identified at the end of assessment"
# (N00181). 18A and 19A are no longer used (validation queries 8945Q and 8950Q): 18B/18C and
# 19B/19C replace them.
class AssessmentFactor(Labelled):
    F1A = ("1A", "Alcohol misuse: concerns about the child")
    F1B = ("1B", "Alcohol misuse: concerns about the parent(s)/carer(s)")
    F1C = ("1C", "Alcohol misuse: concerns about another person living in the household")
    F2A = ("2A", "Drug misuse: concerns about the child")
    F2B = ("2B", "Drug misuse: concerns about the parent(s)/carer(s)")
    F2C = ("2C", "Drug misuse: concerns about another person living in the household")
    F3A = ("3A", "Domestic abuse: concerns about the child being the subject of domestic abuse")
    F3B = ("3B", "Domestic abuse: concerns about the child's parent(s)/carer(s)")
    F3C = ("3C", "Domestic abuse: concerns about another person living in the household")
    F4A = ("4A", "Mental health: concerns about the child")
    F4B = ("4B", "Mental health: concerns about the parent(s)/carer(s)")
    F4C = ("4C", "Mental health: concerns about another person living in the household")
    F5A = ("5A", "Learning disability: concerns about the child")
    F5B = ("5B", "Learning disability: concerns about the parent(s)/carer(s)")
    F5C = ("5C", "Learning disability: concerns about another person living in the household")
    F6A = ("6A", "Physical disability or illness: concerns about the child")
    F6B = ("6B", "Physical disability or illness: concerns about the parent(s)/carer(s)")
    F6C = ("6C", "Physical disability or illness: concerns about another person in the household")
    F7A = ("7A", "Young carer")
    F8B = ("8B", "Privately fostered: overseas children who intend to return")
    F8C = ("8C", "Privately fostered: overseas children who intend to stay")
    F8D = ("8D", "Privately fostered: UK children in educational placements")
    F8E = ("8E", "Privately fostered: UK children making alternative family arrangements")
    F8F = ("8F", "Privately fostered: other")
    F9A = ("9A", "Unaccompanied asylum-seeking children (UASC)")
    F10A = ("10A", "Missing")
    F11A = ("11A", "Child sexual exploitation")
    F12A = ("12A", "Trafficking")
    F13A = ("13A", "Gangs")
    F14A = ("14A", "Socially unacceptable behaviour")
    F15A = ("15A", "Self-harm")
    F16A = ("16A", "Abuse or neglect: neglect")
    F17A = ("17A", "Abuse or neglect: emotional abuse")
    F18B = ("18B", "Abuse or neglect: physical abuse by an adult")
    F18C = ("18C", "Abuse or neglect: physical abuse by another child")
    F19B = ("19B", "Abuse or neglect: sexual abuse by an adult")
    F19C = ("19C", "Abuse or neglect: sexual abuse by another child")
    F20 = ("20", "Female genital mutilation")
    F21 = ("21", "No factors identified")
    F22A = ("22A", "Abuse linked to faith or belief")
    F23A = ("23A", "Child criminal exploitation")
    F24A = ("24A", "Other")


# SAC 2025-26: age bands (section 1, demographics), age on the last day of the period.
AGE_BANDS = ("18–64", "65–74", "75–84", "85–94", "95+")
AGE_UNKNOWN = "unknown"
# CIN census 2025 to 2026: working days from the start of the section 47 enquiry to the
# initial child protection conference, in the bands the safeguarding board reports (Working
# Together to Safeguard Children 2023, chapter 2: the ICPC within 15 working days).
ICPC_TIMELINESS_BANDS = ((0, 10, "0–10"), (11, 15, "11–15"), (16, 20, "16–20"), (21, None, "21+"))


def age_band(age: int | None) -> str:
    """The SAC age band of an adult, or ``unknown``."""
    if age is None or age < 18:
        return AGE_UNKNOWN
    for upper, band in ((64, "18–64"), (74, "65–74"), (84, "75–84"), (94, "85–94")):
        if age <= upper:
            return band
    return "95+"


def age_on(date_of_birth: date, day: date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def icpc_timeliness_band(working_days: int) -> str:
    for low, high, band in ICPC_TIMELINESS_BANDS:
        if working_days >= low and (high is None or working_days <= high):
            return band
    raise ValueError("working days must not be negative")


def valid_nhs_number(raw: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine."""
    digits = raw.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# --- Complaints, compliments and comments ------------------------------------------------
# The statutory complaints procedures of social care, with their timescales as the
# regulations give them (copied into tests/reference/national_lists.json, which the tests
# compare). Working days are counted on the council's calendar (core/clocks.py): both sets
# of regulations define a working day as any day but a weekend, Christmas Day, Good Friday
# or a bank holiday.
ADULTS_COMPLAINTS_REGULATIONS = (
    "The Local Authority Social Services and National Health Service Complaints (England) "
    "Regulations 2009 (SI 2009/309)"
)
CHILDRENS_REPRESENTATIONS_REGULATIONS = (
    "The Children Act 1989 Representations Procedure (England) Regulations 2006 (SI 2006/1738)"
)
OMBUDSMAN = "Local Government and Social Care Ombudsman"


class ComplaintProcedure(Labelled):
    """Which statutory procedure a complaint follows: adult social care's one stage, or
    children's social care's three."""

    ADULTS = ("adults", "Adult social care (one stage)")
    CHILDREN = ("children", "Children's social care (three stages)")


@dataclass(frozen=True)
class ComplaintTimescale:
    """One statutory timescale of a complaints procedure: ``working_days`` after the day
    the stage starts (the complaint or the request received), or ``months`` after it;
    ``extended_days``: how far it may be extended (None: it may not), with the regulation
    that sets it."""

    procedure: ComplaintProcedure
    step: str  # "acknowledgement" or "stage_<n>"
    label: str
    regulation: str
    working_days: int | None = None
    months: int | None = None
    extended_days: int | None = None


COMPLAINT_TIMESCALES = (
    ComplaintTimescale(
        ComplaintProcedure.ADULTS,
        "acknowledgement",
        "Acknowledge the complaint",
        f"{ADULTS_COMPLAINTS_REGULATIONS}, regulation 13: not later than 3 working days "
        "after the day it is received",
        working_days=3,
    ),
    ComplaintTimescale(
        ComplaintProcedure.ADULTS,
        "stage_1",
        "Response to the complaint",
        f"{ADULTS_COMPLAINTS_REGULATIONS}, regulation 14: within six months beginning on "
        "the day it is received, or the longer period agreed with the complainant "
        "(regulation 13)",
        months=6,
    ),
    ComplaintTimescale(
        ComplaintProcedure.CHILDREN,
        "stage_1",
        "Stage 1: local resolution",
        f"{CHILDRENS_REPRESENTATIONS_REGULATIONS}, regulation 14: 10 working days, "
        "extendable to 20 working days",
        working_days=10,
        extended_days=20,
    ),
    ComplaintTimescale(
        ComplaintProcedure.CHILDREN,
        "stage_2",
        "Stage 2: investigation",
        f"{CHILDRENS_REPRESENTATIONS_REGULATIONS}, regulation 17: 25 working days, "
        "extendable to 65 working days",
        working_days=25,
        extended_days=65,
    ),
    ComplaintTimescale(
        ComplaintProcedure.CHILDREN,
        "stage_3",
        "Stage 3: review panel",
        f"{CHILDRENS_REPRESENTATIONS_REGULATIONS}, regulation 19(4): the panel meets within "
        "30 working days of the local authority receiving the request",
        working_days=30,
    ),
)


def complaint_timescale(procedure: ComplaintProcedure, step: str) -> ComplaintTimescale | None:
    return next(
        (t for t in COMPLAINT_TIMESCALES if t.procedure == procedure and t.step == step), None
    )


def complaint_stages(procedure: ComplaintProcedure) -> int:
    """How many stages the procedure has (then the Ombudsman)."""
    return sum(
        1 for t in COMPLAINT_TIMESCALES if t.procedure == procedure and t.step != "acknowledgement"
    )
