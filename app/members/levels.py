"""Member levels: names and thresholds on the points a member holds, shown beside every post and on profiles.

Levels belong to members (the forum shows them, points decide them), so they live below both.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Level:
    number: int
    min_points: int
    name: object  # a lazy translated string

    @property
    def label(self) -> str:
        return _("Level %(n)d · %(name)s", n=self.number, name=str(self.name))


LEVELS: tuple[Level, ...] = (
    Level(1, 0, _l("Newcomer")),
    Level(2, 20, _l("Tea taster")),
    Level(3, 60, _l("Regular")),
    Level(4, 150, _l("Contributor")),
    Level(5, 350, _l("Connoisseur")),
    Level(6, 750, _l("Tea master")),
)


def level_for(points: int) -> Level:
    """The highest level whose threshold the points reach."""
    found = LEVELS[0]
    for level in LEVELS:
        if points >= level.min_points:
            found = level
    return found


def next_level(level: Level) -> Level | None:
    return LEVELS[level.number] if level.number < len(LEVELS) else None
