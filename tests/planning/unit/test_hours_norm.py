"""The Z-route hours norm (B 3.14): course hours with KNM, participation hours with PVT and MAP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from zroute_planning.domain.hours_norm import (
    Credit,
    CreditSource,
    NormPart,
    ParticipantCategory,
    norm_for,
    progress,
)

D = Decimal


def test_an_asylum_permit_holder_has_800_course_and_800_participation_hours():
    norm = norm_for(ParticipantCategory.ASYLUM_PERMIT_HOLDER)
    assert (norm.course, norm.participation) == (D(800), D(800))


def test_a_family_migrant_has_the_course_hours_only():
    norm = norm_for(ParticipantCategory.FAMILY_MIGRANT)
    assert (norm.course, norm.participation) == (D(800), D(0))


def test_knm_counts_as_course_hours_and_pvt_and_map_as_participation_hours():
    norm = norm_for(ParticipantCategory.ASYLUM_PERMIT_HOLDER)
    counted = progress(
        norm,
        {"language": D(700), "knm": D(100), "participation": D(700), "map": D(40), "pvt": D(60)},
    )
    assert counted.course.attended == D(800) and counted.course.met
    assert counted.participation.attended == D(800) and counted.participation.met
    assert counted.met


def test_language_alone_does_not_meet_the_participation_part():
    norm = norm_for(ParticipantCategory.ASYLUM_PERMIT_HOLDER)
    counted = progress(norm, {"language": D(1600)})
    assert counted.course.met and not counted.participation.met
    assert counted.participation.remaining == D(800)


def test_credits_count_toward_the_part_they_name():
    norm = norm_for(ParticipantCategory.ASYLUM_PERMIT_HOLDER)
    credits = [
        Credit(NormPart.PARTICIPATION, D(50), CreditSource.SOCIAL_GUIDANCE),
        Credit(NormPart.COURSE, D(120), CreditSource.SCHOOL),
    ]
    counted = progress(norm, {"language": D(680), "participation": D(750)}, credits)
    assert counted.course.credited == D(120) and counted.course.met
    assert counted.participation.counted == D(800) and counted.met


def test_a_reduced_norm_for_an_impairment_is_recorded_as_such():
    norm = norm_for(
        ParticipantCategory.ASYLUM_PERMIT_HOLDER,
        reduced_course=D(500),
        reduced_participation=D(600),
    )
    assert norm.reduced and (norm.course, norm.participation) == (D(500), D(600))
    with pytest.raises(ValueError):
        norm_for(ParticipantCategory.FAMILY_MIGRANT, reduced_course=D(-1))


hours = st.decimals(min_value=0, max_value=2000, places=2)


@given(st.dictionaries(st.sampled_from(["language", "knm", "participation", "map", "pvt"]), hours))
def test_every_hour_of_the_ledger_counts_toward_exactly_one_part(ledger):
    counted = progress(norm_for(ParticipantCategory.ASYLUM_PERMIT_HOLDER), ledger)
    assert counted.course.attended + counted.participation.attended == sum(ledger.values(), D(0))
