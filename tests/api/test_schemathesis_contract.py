"""schemathesis over every API operation, on each engine: no 500, and every answer as documented.

Fixed seed (``derandomize``) and bounded examples, so a run is repeatable and takes about a
minute per engine. All of schemathesis's checks run except ``positive_data_acceptance``: the API
also refuses requests for what they mean, which no schema can say (an unknown place or zone, a
cursor it did not make, lat without lon, a submission's cross-field rules, a NUL or lone
surrogate that the schema's ``string`` allows but no database stores). Those refusals must still
be documented 400s with the documented body, which the other checks hold them to.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import positive_data_acceptance

from finder import create_app
from finder.extensions import db
from finder.meetings.recurring import set_recurrence
from finder.models import Meeting
from finder.pattern import MONTHLY, Recurrence
from finder.sources.service import load_demo
from finder.weekly import day_of

EXAMPLES = 30
OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, item in create_app({"TESTING": True, "SECRET_KEY": "x"}).extensions["openapi"]["paths"].items()
    for method in item if method != "parameters"
)


@pytest.fixture
def api_schema(app):
    app.config["RATELIMIT_ENABLED"] = False
    with app.app_context():
        load_demo()  # real meetings, so ids and picks exist
        # One not every week, so answers carry a pattern with dates.
        meeting = db.session.scalars(sa.select(Meeting).order_by(Meeting.id)).first()
        monthly = Recurrence(kind=MONTHLY, nths=(1, -1))
        first = date(2030, 1, 1) + timedelta(days=(meeting.day - day_of(date(2030, 1, 1))) % 7)
        cancelled = [on for on in (first + timedelta(weeks=n) for n in range(9))
                     if monthly.meets_on(meeting.day, on)][:2]
        set_recurrence(meeting, Recurrence(kind=MONTHLY, nths=(1, -1), cancelled=tuple(cancelled)))
        db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_every_operation_is_tested():
    assert len(OPERATIONS) >= 11  # search, one meeting, the export, 7 schedule operations, submissions


@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_matches_its_document(api_schema, label):
    operation = api_schema[label.split(" ", 1)[1]][label.split(" ", 1)[0]]
    failures: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def run(case):
        try:
            # Its WSGI transport hands the checks the body as sent, undecoded: ask for it plain.
            case.call_and_validate(headers={"Accept-Encoding": "identity"},
                                   excluded_checks=[positive_data_acceptance])
        except BaseException as exc:  # noqa: BLE001 (collect, report all at the end)
            failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:1500]}")

    run()
    assert not failures, "\n\n".join(failures[:5])
