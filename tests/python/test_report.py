"""`mrr report` in a real headless browser: it loads offline without console errors, every chart
renders, a screenshot is kept, and the numbers it draws equal the marts queried here with SQL."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from mrr.cli import main
from mrr.project import PROJECT_ROOT

from browser import Browser

SCREENSHOT = PROJECT_ROOT / "warehouse" / "artifacts" / "report.png"
CHARTS = {"mrr", "waterfall", "movements", "rates", "retention", "transitions", "cohorts"}

PAGE_FACTS = """
(() => {
  const box = (element) => element.getBoundingClientRect();
  const charts = [...document.querySelectorAll('figure[data-chart]')].map((figure) => ({
    chart: figure.dataset.chart,
    title: figure.querySelector('figcaption h2')?.textContent || '',
    definition: figure.querySelector('figcaption .definition')?.textContent || '',
    visible: [...figure.querySelectorAll('svg.chart-svg')].filter((svg) => box(svg).width > 0).map((svg) => ({
      width: box(svg).width,
      height: box(svg).height,
      marks: [...svg.querySelectorAll('.mark')].filter((mark) => box(mark).width > 0).length,
      axisTitles: [...svg.querySelectorAll('.axis-title')].map((title) => title.textContent),
    })),
    marks: [...figure.querySelectorAll('.mark')].map((mark) => ({
      series: mark.dataset.series, x: mark.dataset.x, value: mark.dataset.value,
      panel: mark.closest('.panel') ? mark.closest('.panel').dataset.month : null,
    })),
  }));
  const cards = [...document.querySelectorAll('.card')].map((card) => ({
    metric: card.dataset.metric, value: card.dataset.value, previous: card.dataset.previous,
    shown: card.querySelector('.card-value').textContent,
  }));
  const rows = [...document.querySelectorAll('[data-table="largest-movements"] tbody tr')].map((row) => ({
    customer: row.dataset.customer, type: row.dataset.type, value: row.dataset.value,
  }));
  return {charts, cards, rows};
})()
"""


def sql(database: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(query).fetchall()


def number(text: str, like: object) -> Decimal | float | None:
    """A data-value read back as the type of the mart's value: exact decimals, float rates, '' None."""
    if text == "":
        return None
    return Decimal(text) if isinstance(like, Decimal) else float(text)


@pytest.fixture(scope="module")
def report(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--database", str(demo_database), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def page(report: Path):
    browser = Browser()
    try:
        browser.open(report.as_uri())
        facts = browser.evaluate(PAGE_FACTS)
        facts["errors"] = browser.console_errors()
        facts["requests"] = browser.requested_urls()
        facts["screenshot"] = browser.screenshot(SCREENSHOT)
        facts["browser"] = browser
        yield facts
    finally:
        browser.close()


def chart(page: dict, name: str) -> dict:
    return next(item for item in page["charts"] if item["chart"] == name)


def test_loads_offline_without_console_errors(page, report):
    assert page["errors"] == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in page["requests"]), page["requests"]
    html = report.read_text()
    assert "<script src" not in html and "<link" not in html and "http" not in html


def test_every_chart_renders_with_title_axes_and_definition(page):
    assert {item["chart"] for item in page["charts"]} == CHARTS
    for item in page["charts"]:
        assert item["title"] and item["definition"], item["chart"]
        (svg,) = item["visible"]  # the waterfall shows one month at a time
        assert svg["width"] > 300 and svg["height"] > 100, item["chart"]
        assert svg["marks"] >= 3, item["chart"]
        assert len(svg["axisTitles"]) == 2 and all(svg["axisTitles"]), item["chart"]
    for name in ("mrr", "waterfall", "movements"):
        assert "(USD)" in chart(page, name)["visible"][0]["axisTitles"][0]
    for name in ("rates", "retention"):
        assert "%" in chart(page, name)["visible"][0]["axisTitles"][0]


def test_screenshot_is_saved(page):
    shot = page["screenshot"]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000


def test_headline_cards_equal_the_marts(page, demo_database):
    columns = ["ending_mrr", "arr", "net_new_mrr", "nrr", "grr", "quick_ratio"]
    now, before = sql(demo_database, f"select {', '.join(columns)} from metrics_mrr_monthly order by month desc limit 2")
    cards = {card["metric"]: card for card in page["cards"]}
    assert list(cards) == columns
    for index, column in enumerate(columns):
        assert number(cards[column]["value"], now[index]) == now[index], column
        assert number(cards[column]["previous"], before[index]) == before[index], column
    assert cards["ending_mrr"]["shown"] == f"${now[0]:,.2f}"


def test_movement_bars_add_up_to_the_bridge(page, demo_database):
    category = dict(sql(demo_database, "select movement_type, movement_category from movement_types"))
    drawn: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for mark in chart(page, "movements")["marks"]:
        drawn[(mark["x"], category[mark["series"]])] += Decimal(mark["value"])
    rows = sql(demo_database, "select strftime(month, '%Y-%m'), new_mrr, reactivation_mrr, expansion_mrr,"
                              " -contraction_mrr, -churned_mrr from metrics_mrr_monthly")
    for month, *amounts in rows:
        for name, amount in zip(["new", "reactivation", "expansion", "contraction", "churn"], amounts):
            assert drawn.get((month, name), Decimal(0)) == amount, (month, name)


def test_waterfall_equals_the_bridge_of_each_month(page, demo_database):
    columns = ["starting_mrr", "new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr",
               "churned_mrr", "fx_mrr", "ending_mrr"]
    rows = sql(demo_database, f"select strftime(month, '%Y-%m'), {', '.join(columns)} from metrics_mrr_monthly")
    drawn = {(mark["panel"], mark["series"]): Decimal(mark["value"]) for mark in chart(page, "waterfall")["marks"]}
    signs = {"contraction_mrr": -1, "churned_mrr": -1}
    for month, *amounts in rows:
        for column, amount in zip(columns, amounts):
            assert drawn[(month, column)] == amount * signs.get(column, 1), (month, column)


def test_waterfall_month_can_be_switched(page, demo_database):
    first = sql(demo_database, "select strftime(min(month), '%Y-%m') from metrics_mrr_monthly")[0][0]
    shown = page["browser"].evaluate(f"""(() => {{
        const select = document.getElementById('waterfall-month');
        select.value = '{first}';
        select.dispatchEvent(new Event('change'));
        return [...document.querySelectorAll('[data-chart="waterfall"] .panel')]
            .filter((panel) => panel.getBoundingClientRect().width > 0).map((panel) => panel.dataset.month);
    }})()""")
    assert shown == [first]


def test_rate_lines_equal_the_marts(page, demo_database):
    for name, columns in {"rates": ["expansion_mrr_rate", "upgrade_mrr_rate", "customer_upgrade_rate"],
                          "retention": ["nrr", "grr", "nrr_12m", "grr_12m"]}.items():
        drawn = {(mark["x"], mark["series"]): float(mark["value"]) for mark in chart(page, name)["marks"]}
        rows = sql(demo_database, f"select strftime(month, '%Y-%m'), {', '.join(columns)} from metrics_mrr_monthly")
        expected = {(month, column): value for month, *values in rows
                    for column, value in zip(columns, values) if value is not None}
        assert drawn == expected, name


def test_heat_maps_equal_the_marts(page, demo_database):
    cohorts = {(mark["series"], mark["x"]): float(mark["value"]) for mark in chart(page, "cohorts")["marks"]}
    rows = sql(demo_database, "select strftime(cohort_month, '%Y-%m'), cast(months_since_start as varchar),"
                              " net_revenue_retention from fct_cohort_retention")
    assert cohorts == {(cohort, age): value for cohort, age, value in rows}
    transitions = {(mark["series"], mark["x"]): int(mark["value"]) for mark in chart(page, "transitions")["marks"]}
    rows = sql(demo_database, "select coalesce(from_plan_name, from_plan_id), coalesce(to_plan_name, to_plan_id),"
                              " sum(line_changes) from fct_plan_transitions group by all")
    assert transitions == {(source, target): changes for source, target, changes in rows}


def test_largest_movements_of_the_last_month(page, demo_database):
    rows = sql(demo_database, "select customer_id, movement_type, mrr_amount from fct_mrr_movements"
                              " where month = (select max(month) from metrics_mrr_monthly)"
                              " order by abs(mrr_amount) desc limit 10")
    drawn = [(row["customer"], row["type"], Decimal(row["value"])) for row in page["rows"]]
    assert sorted(drawn) == sorted(rows) and rows


@pytest.mark.parametrize("make, message", [
    (lambda path: None, "does not exist"),
    (lambda path: duckdb.connect(str(path)).close(), "lacks the mart(s) metrics_mrr_monthly"),
], ids=["no database", "no marts"])
def test_report_refuses_a_database_without_marts(tmp_path, capsys, make, message):
    database = tmp_path / "empty.duckdb"
    make(database)
    assert main(["report", "--database", str(database), "--out", str(tmp_path / "r.html")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
