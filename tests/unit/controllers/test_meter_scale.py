"""The meters' dB scale: where a level sits on the bar and which colour zone it is in."""

from __future__ import annotations

import pytest

from ingress_studio.controllers.meter_scale import FLOOR_DB, TICKS_DB, Zone, clamp_db, db_fraction, zone


@pytest.mark.parametrize(
    ("db", "fraction"),
    [(0.0, 1.0), (-6.0, 0.9), (-30.0, 0.5), (-60.0, 0.0), (-90.0, 0.0), (3.0, 1.0), (float("nan"), 0.0)],
)
def test_a_level_maps_linearly_in_db_onto_the_bar(db: float, fraction: float) -> None:
    assert db_fraction(db) == pytest.approx(fraction)


def test_the_ticks_span_the_scale_from_its_top_to_its_floor() -> None:
    assert TICKS_DB[0] == 0 and TICKS_DB[-1] == FLOOR_DB
    assert list(TICKS_DB) == sorted(TICKS_DB, reverse=True)


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        (-60.0, Zone.GREEN),
        (-20.1, Zone.GREEN),
        (-20.0, Zone.AMBER),
        (-9.1, Zone.AMBER),
        (-9.0, Zone.RED),
        (0.0, Zone.RED),
    ],
)
def test_zones_change_at_minus_20_and_minus_9_dbfs(db: float, expected: Zone) -> None:
    assert zone(db) is expected


def test_clamping_keeps_levels_inside_the_scale() -> None:
    assert (clamp_db(-90.0), clamp_db(-12.5), clamp_db(1.5)) == (FLOOR_DB, -12.5, 0.0)
