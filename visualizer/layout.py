"""Positions for the map, computed on the server.

A force layout in the browser takes tens of seconds to settle on a 2,000-contact
account; this one is computed in one pass, in pure Python (NetworkX's own layouts
need NumPy and SciPy, which the project does not otherwise depend on), and reads
the way an account manager thinks of an account: the company in the middle, its
departments on a ring around it, each department's people in a disc around the
department, strongest relationships nearest the centre of the disc; our users
above the company, and people from outside the account on an outer ring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPACING = 34.0  # distance between neighbouring people in a department's disc
GAP = 120.0  # between department discs on the ring

Point = tuple[float, float]


def _disc(centre: Point, count: int) -> list[Point]:
    """``count`` points in a sunflower spiral around ``centre``: even spacing, no overlap."""
    cx, cy = centre
    points = []
    for i in range(count):
        r = SPACING * math.sqrt(i + 0.5)
        a = i * GOLDEN_ANGLE
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def _disc_radius(count: int) -> float:
    return SPACING * math.sqrt(count + 0.5) + 30.0


def account_layout(
    company: str | None,
    groups: Mapping[str, Sequence[str]],
    users: Sequence[str] = (),
    outside: Sequence[str] = (),
) -> dict[str, Point]:
    """Positions of every node of the map.

    Parameters
    ----------
    company
        The company's node key, placed at the origin (None for no company node).
    groups
        Department node key -> the people in it, strongest first. A group's key is
        positioned too; people without a department go in a group of their own whose
        key may be any string not otherwise used (it is returned, and ignored by the
        caller when it is not a node).
    users
        Our users, placed on an arc above the ring.
    outside
        People from other companies, placed on a ring outside everything else.

    Returns
    -------
    dict
        Node key -> (x, y) in vis-network canvas units (y grows downwards).
    """
    pos: dict[str, Point] = {}
    if company is not None:
        pos[company] = (0.0, 0.0)
    radii = {g: _disc_radius(len(members)) for g, members in groups.items()}
    circumference = sum(2 * r + GAP for r in radii.values())
    ring = max(260.0, circumference / (2 * math.pi), max(radii.values(), default=0) + 200.0)
    angle = -math.pi / 2
    for group, members in groups.items():
        share = (2 * radii[group] + GAP) / circumference if circumference else 1.0
        angle += math.pi * share  # to the middle of this group's arc
        centre = (ring * math.cos(angle), ring * math.sin(angle))
        pos[group] = centre
        # The first member sits on the department node itself otherwise; start one step out.
        for member, point in zip(members, _disc(centre, len(members) + 1)[1:], strict=False):
            pos[member] = point
        angle += math.pi * share
    outer = ring + max(radii.values(), default=0.0) + 160.0
    for i, user in enumerate(users):
        # An arc above the company, inside the ring so the lines to their contacts stay short.
        spread = math.pi / 3
        a = -math.pi / 2 + (spread * (i / (len(users) - 1) - 0.5) if len(users) > 1 else 0.0)
        pos[user] = (ring * 0.45 * math.cos(a), ring * 0.45 * math.sin(a))
    for i, person in enumerate(outside):
        a = 2 * math.pi * i / max(len(outside), 1)
        pos[person] = (outer * math.cos(a), outer * math.sin(a))
    return pos
