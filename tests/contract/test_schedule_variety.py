"""schedule-published says which variety rules a week breaks (issue 16): additive in v1."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from zroute_contract.events.planning import SchedulePublished

from tests.contract.samples import sample_data


def test_a_week_that_breaks_the_variety_rules_carries_them_and_old_bodies_still_parse():
    data = sample_data(SchedulePublished)
    data.pop("variety_problems", None)
    assert SchedulePublished.model_validate(data).variety_problems == ()  # an older producer
    flagged = SchedulePublished.model_validate(
        data | {"variety_problems": ["classroom runs 2 sessions in a row, above 1"]}
    )
    assert flagged.variety_problems == ("classroom runs 2 sessions in a row, above 1",)


@pytest.mark.parametrize(
    "text", ["", "Amina Yusuf missed a class", "classroom 123456782", "x" * 201]
)
def test_a_variety_problem_is_a_short_lowercase_code_text_never_a_name(text):
    data = sample_data(SchedulePublished) | {"variety_problems": [text]}
    with pytest.raises(ValidationError):
        SchedulePublished.model_validate(data)
