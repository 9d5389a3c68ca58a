"""The children's levels of need: the council's threshold model, a setting.

Source: Working Together to Safeguard Children 2018, chapter 1, paragraph 16: the
safeguarding partners publish a threshold document setting out the local criteria for
action, including the level of need at which a case is referred to children's social
care. The levels are therefore local. Most partnerships publish the four-level continuum
below (universal, early help, targeted, statutory); a council with its own bands (the
Herefordshire three-band model of its Joint Review action plan, 2003) sets them in
LEVELS_OF_NEED, a JSON list of the bands in order, each a name or
``{"name": ..., "description": ...}``; they are numbered from 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from core.config import ConfigurationError

MOST_LEVELS = 9  # the column holds 1 to 9 (migrations: level_of_need_range)


@dataclass(frozen=True)
class LevelOfNeed:
    level: int
    name: str
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.level} {self.name}"


FOUR_LEVELS = (
    LevelOfNeed(1, "Universal", "Needs met by services open to every child"),
    LevelOfNeed(2, "Early help", "Additional needs met by one agency or early help"),
    LevelOfNeed(3, "Targeted", "Multiple or complex needs: a coordinated multi-agency plan"),
    LevelOfNeed(4, "Statutory", "Acute needs or risk of significant harm: children's social care"),
)


def parse_levels(raw: Any) -> tuple[tuple[LevelOfNeed, ...], list[str]]:
    """The bands LEVELS_OF_NEED gives, and what is wrong with them (the four levels when
    it is not set)."""
    if not raw:
        return FOUR_LEVELS, []
    if not isinstance(raw, list) or not 2 <= len(raw) <= MOST_LEVELS:
        return FOUR_LEVELS, [f"give a list of 2 to {MOST_LEVELS} levels, lowest need first"]
    levels, problems = [], []
    for number, band in enumerate(raw, start=1):
        fields = band if isinstance(band, dict) else {"name": band}
        name, description = fields.get("name"), fields.get("description", "")
        if not isinstance(name, str) or not name.strip() or len(name) > 60:
            problems.append(f"level {number} needs a name of 1 to 60 characters")
        elif not isinstance(description, str) or set(fields) - {"name", "description"}:
            problems.append(f"level {number} may have only a name and a description (text)")
        else:
            levels.append(LevelOfNeed(number, name.strip(), description.strip()))
    names = [level.name.lower() for level in levels]
    if len(set(names)) != len(names):
        problems.append("each level needs a name of its own")
    return tuple(levels), problems


def check_levels_setting(config: Mapping[str, Any]) -> None:
    """Refuse to start with a threshold model that cannot be right."""
    _, problems = parse_levels(config.get("LEVELS_OF_NEED"))
    if problems:
        raise ConfigurationError(f"LEVELS_OF_NEED: {'; '.join(problems)}.")


def levels_of_need() -> tuple[LevelOfNeed, ...]:
    """The council's levels of need, lowest first."""
    return parse_levels(current_app.config.get("LEVELS_OF_NEED"))[0]


def level_of_need(number: int | None) -> LevelOfNeed | None:
    """A recorded level as the council's model names it; a level the model no longer has
    (the council changed its bands) keeps its number."""
    if number is None:
        return None
    known = {level.level: level for level in levels_of_need()}
    return known.get(number, LevelOfNeed(number, "(no longer in the council's levels)"))


def level_problem() -> str:
    """What a level outside the model is told."""
    named = ", ".join(level.label for level in levels_of_need())
    return f"Level of need is one of the council's levels ({named}), and only for children"
