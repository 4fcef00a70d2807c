"""The report API on the running product: who may read it, date checks, JSON and CSV.

The figures are those of tests/reports/history.py, except the SLA shares: by the real
clock every due time has passed, so T4 and T6 (never answered) are misses too:
first response T1, T8 met of T1 T2 T4 T6 T8 = 2/5; resolution the same = 2/5.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Dict

import httpx
import pytest

from reports.period import Period
from tests.product import CustomerClient, RunningProcess, StaffClient
from tests.reports.history import CSAT_AVERAGE, CONTAINMENT, NPS_SCORE

FIRST_RESPONSE = RESOLUTION = (2, 5, 40.0)


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def staff(product: RunningProcess) -> Dict[str, StaffClient]:
    admin = StaffClient.admin(product.gateway_url)
    return {"admin": admin, "account_manager": admin.add(unique("max"), "account_manager"),
            "agent": admin.add(unique("ann"), "agent"),
            "expert": admin.add(unique("eve"), "expert", ("technical",)),
            "trainer": admin.add(unique("tia"), "trainer")}


def dates(period: Period) -> Dict[str, str]:
    return {"from": period.first.isoformat(), "to": period.last.isoformat()}


def test_only_admins_and_account_managers_read_the_report(
        product: RunningProcess, staff: Dict[str, StaffClient], product_history: Period) -> None:
    anonymous = httpx.Client(base_url=product.gateway_url, timeout=30)
    customer = CustomerClient(product.gateway_url)
    for path in ("/api/v1/reports", "/api/v1/reports.csv"):
        for headers in ({}, customer.headers, {"Authorization": "Bearer forged"}):
            response = anonymous.get(path, params=dates(product_history), headers=headers)
            assert response.status_code == 401, (path, headers, response.text)
        for role in ("agent", "expert", "trainer"):
            response = staff[role].http.get(path, params=dates(product_history))
            assert response.status_code == 403, (path, role)
            assert response.json()["error"]["code"] == "forbidden"
        for role in ("admin", "account_manager"):
            assert staff[role].http.get(path, params=dates(product_history)).status_code == 200


@pytest.mark.parametrize("params, message", [
    ({}, "from is required"),
    ({"from": "2026-11-01"}, "to is required"),
    ({"from": "1/11/2026", "to": "2026-11-30"}, "YYYY-MM-DD"),
    ({"from": "2026-11-30", "to": "2026-11-01"}, "is after to"),
    ({"from": "2025-01-01", "to": "2026-01-02"}, "at most 366 days"),
])
def test_bad_dates_are_refused(staff: Dict[str, StaffClient], params: Dict[str, str], message: str) -> None:
    for path in ("/api/v1/reports", "/api/v1/reports.csv"):
        response = staff["admin"].http.get(path, params=params)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "bad_request"
        assert message in response.json()["error"]["message"]


def test_the_json_report_has_the_figures_and_svg_charts(
        staff: Dict[str, StaffClient], product_history: Period) -> None:
    response = staff["account_manager"].http.get("/api/v1/reports", params=dates(product_history))
    figures, charts = response.json()["figures"], response.json()["charts"]
    assert figures["containment"]["percent"] == CONTAINMENT
    assert figures["csat"]["average"] == CSAT_AVERAGE and figures["nps"]["score"] == NPS_SCORE
    first = figures["first_response_within_1h"]
    assert (first["numerator"], first["denominator"], first["percent"], first["target"]) == (*FIRST_RESPONSE, 100.0)
    assert figures["intents"]["available"] and figures["intents"]["top"][0]["key"] == "order_status"
    assert set(charts) == {"targets", "escalations", "csat", "nps", "intents", "needs"}
    assert all(svg.startswith("<svg") for svg in charts.values())


def test_the_csv_has_one_row_per_figure(staff: Dict[str, StaffClient], product_history: Period) -> None:
    response = staff["admin"].http.get("/api/v1/reports.csv", params=dates(product_history))
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="caredesk-report-{product_history.first}-{product_history.last}.csv"')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["figure", "value", "unit", "target", "numerator", "denominator"]
    by_name = {row["figure"]: row for row in rows}
    assert len(by_name) == len(rows)
    assert by_name["containment"] == {"figure": "containment", "value": "33.3", "unit": "%",
                                      "target": "", "numerator": "2", "denominator": "6"}
    assert by_name["resolution_within_72h"]["value"] == "40" and by_name["resolution_within_72h"]["target"] == "95"
    assert by_name["nps"]["value"] == "14.3" and by_name["nps"]["target"] == "85"
    assert by_name["escalations[complaint]"]["value"] == "2"
    assert by_name["csat_score[5]"]["value"] == "2" and by_name["fallback_rate"]["value"] == "28.6"
    assert by_name["intent[order_status]"]["value"] == "4" and by_name["needs_captured"]["value"] == "4"
