"""The charts are well-formed SVG with proportional bars, target marks and escaped labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from reports.charts import LABEL_WIDTH, PLOT_WIDTH, Bar, bar_chart, report_charts
from reports.figures import Count, Ratio, ServiceReport
from reports.period import Period

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and int(root.get("width")) > 0 and int(root.get("height")) > 0
    return root


def bars(root: ET.Element) -> list:
    return [float(rect.get("width")) for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def test_bars_are_proportional_to_their_values() -> None:
    root = parse(bar_chart("Intents", [Bar("a", 40), Bar("b", 10), Bar("c", 20), Bar("d", 0)]))
    assert bars(root) == [PLOT_WIDTH, PLOT_WIDTH / 4, PLOT_WIDTH / 2, 0.0]


def test_a_fixed_scale_and_target_marks() -> None:
    root = parse(bar_chart("SLA", [Bar("first", 50, target=100), Bar("nps", -20, target=85)], 100))
    assert bars(root) == [PLOT_WIDTH / 2, 0.0]
    marks = [float(line.get("x1")) for line in root.iter(f"{SVG}line") if line.get("class") == "target"]
    assert marks == [LABEL_WIDTH + PLOT_WIDTH, LABEL_WIDTH + 0.85 * PLOT_WIDTH]


def test_labels_are_escaped_and_stay_text() -> None:
    label = '<script>alert("x")</script>&amp'
    svg = bar_chart('Top <intents> & "more"', [Bar(label, 3)])
    root = parse(svg)
    assert "<script>" not in svg
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert 'Top <intents> & "more"' in texts
    assert label[:29] + "…" in texts  # long labels are shortened, still as text
    assert not list(root.iter(f"{SVG}script"))
    intent = bar_chart("x", [Bar("<&>", 1)])
    assert "&lt;&amp;&gt;" in intent
    assert "<&>" in ["".join(n.itertext()) for n in parse(intent).iter(f"{SVG}text")]


def test_an_empty_chart_says_so() -> None:
    root = parse(bar_chart("Needs", []))
    assert "No data in this range." in ["".join(n.itertext()) for n in root.iter(f"{SVG}text")]


def test_every_report_chart_is_valid_svg_even_without_data() -> None:
    empty = ServiceReport(
        period=Period(date(2026, 11, 1), date(2026, 11, 30)), conversations=0,
        containment=Ratio(0, 0), escalations=[], first_response=Ratio(0, 0),
        resolution=Ratio(0, 0), csat_distribution={s: 0 for s in range(1, 6)},
        nps_scores={s: 0 for s in range(11)}, top_intents=[Count("<&>", "<&>", 2)],
        fallback=Ratio(0, 0), tracker_available=True, needs_per_week=[])
    charts = report_charts(empty)
    assert set(charts) == {"targets", "escalations", "csat", "nps", "intents", "needs"}
    for svg in charts.values():
        parse(svg)
