"""`mrr report` in a real headless browser: it loads offline without console errors, every chart
renders, a screenshot is kept, and the numbers it draws equal the marts queried here with SQL.

Each test runs on two data sets: the demo (names for customers and plans, less than 12 months of
history) and a small generated one (no customer names, 15 months, so 12-month figures exist)."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from mrr.build import build
from mrr.cli import main
from mrr.generate import generate
from mrr.project import DEMO_INPUT, PROJECT_ROOT, BuildSpec
from mrr.report import MIN_COHORT_CUSTOMERS
from mrr.warehouse import open_duckdb

from browser import Browser

SCREENSHOT = PROJECT_ROOT / "warehouse" / "artifacts" / "report.png"
CHARTS = {"mrr", "waterfall", "movements", "rates", "retention", "retention_12m", "transitions", "cohorts"}
HEAT_MAPS = {"transitions", "cohorts"}  # cells coloured by value, not by series

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
  const colour = (element) => {
    const style = getComputedStyle(element);
    if (element.matches('.key')) return getComputedStyle(element.querySelector('i')).backgroundColor;
    return element.matches('path') ? style.stroke : style.fill;
  };
  const colours = [...document.querySelectorAll('figure[data-chart]')].map((figure) => ({
    chart: figure.dataset.chart,
    series: [...figure.querySelectorAll('[data-series]')].map((element) => ({
      series: element.dataset.series, colour: colour(element),
    })),
  }));
  const cards = [...document.querySelectorAll('.card')].map((card) => ({
    metric: card.dataset.metric, value: card.dataset.value, previous: card.dataset.previous,
    shown: card.querySelector('.card-value').textContent,
    label: card.querySelector('.card-label').textContent,
    definition: card.querySelector('.card-definition').textContent,
  }));
  const cell = (row, css) => {
    const td = row.querySelector('td.' + css);
    return {text: td.textContent, tip: td.dataset.tip || null};
  };
  const rows = [...document.querySelectorAll('[data-table="largest-movements"] tbody tr')].map((row) => ({
    customer: row.dataset.customer, type: row.dataset.type, value: row.dataset.value,
    name: cell(row, 'customer'), plans: cell(row, 'plans'),
  }));
  const cohortLabels = [...document.querySelectorAll('[data-chart="cohorts"] .row-label')].map((label) => ({
    cohort: label.dataset.row, text: label.textContent, width: label.getBoundingClientRect().width,
  }));
  const cohortCells = [...document.querySelectorAll('[data-chart="cohorts"] .mark')].map((mark) => ({
    cohort: mark.dataset.series, colour: getComputedStyle(mark).fill, muted: mark.dataset.muted === 'true',
  }));
  const emptyNotes = [...document.querySelectorAll('figure[data-chart] .empty-note')].map((note) => ({
    chart: note.closest('figure').dataset.chart, text: note.textContent,
  }));
  return {charts, colours, cards, rows, cohortLabels, cohortCells, emptyNotes};
})()
"""


def sql(database: Path, query: str) -> list[tuple]:
    with open_duckdb(database) as connection:
        return connection.execute(query).fetchall()


def number(text: str, like: object) -> Decimal | float | None:
    """A data-value read back as the type of the mart's value: exact decimals, float rates, '' None."""
    if text == "":
        return None
    return Decimal(text) if isinstance(like, Decimal) else float(text)


def input_rows(input_dir: Path, name: str) -> list[dict[str, str]]:
    """The rows of one input file (csv), as written by whoever made the input."""
    with (input_dir / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated_spec(tmp_path_factory: pytest.TempPathFactory) -> BuildSpec:
    """15 months of 120 generated customers (no customer names): 12-month NRR/GRR exist."""
    root = tmp_path_factory.mktemp("generated-report")
    generate(root / "input", customers=120, months=15, seed=3, start_month="2023-10-01", file_format="csv")
    spec = BuildSpec(input_dir=root / "input", database=root / "mrr.duckdb", as_of=dt.date(2024, 12, 31))
    build(spec, quiet=True)
    return spec


@pytest.fixture(scope="module", params=["demo", "generated"])
def dataset(request: pytest.FixtureRequest) -> tuple[str, Path, Path]:
    """(name, input directory, built database)."""
    if request.param == "demo":
        return "demo", DEMO_INPUT, request.getfixturevalue("demo_database")
    spec = request.getfixturevalue("generated_spec")
    return "generated", spec.input_dir, spec.database


@pytest.fixture(scope="module")
def database(dataset: tuple[str, Path, Path]) -> Path:
    return dataset[2]


@pytest.fixture(scope="module")
def report(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--database", str(database), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def page(report: Path, dataset: tuple[str, Path, Path]):
    browser = Browser()
    try:
        browser.open(report.as_uri())
        facts = browser.evaluate(PAGE_FACTS)
        facts["errors"] = browser.console_errors()
        facts["requests"] = browser.requested_urls()
        shot = SCREENSHOT if dataset[0] == "demo" else SCREENSHOT.with_name(f"report-{dataset[0]}.png")
        facts["screenshot"] = browser.screenshot(shot)
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


def test_every_chart_renders_with_title_axes_and_definition(page, database):
    assert {item["chart"] for item in page["charts"]} == CHARTS
    (twelve_month_values,) = sql(database, "select count(nrr_12m) + count(grr_12m) from metrics_mrr_monthly")[0]
    for item in page["charts"]:
        assert item["title"] and item["definition"], item["chart"]
        (svg,) = item["visible"]  # the waterfall shows one month at a time
        assert svg["width"] > 300 and svg["height"] > 100, item["chart"]
        assert svg["marks"] >= min(3, twelve_month_values if item["chart"] == "retention_12m" else 3), item["chart"]
        assert len(svg["axisTitles"]) == 2 and all(svg["axisTitles"]), item["chart"]
    for name in ("mrr", "waterfall", "movements"):
        assert "(USD)" in chart(page, name)["visible"][0]["axisTitles"][0]
    for name in ("rates", "retention", "retention_12m"):
        assert "%" in chart(page, name)["visible"][0]["axisTitles"][0]
    # A chart without a value says so rather than showing empty axes.
    assert [note["chart"] for note in page["emptyNotes"]] == ([] if twelve_month_values else ["retention_12m"])


def test_screenshot_is_saved(page):
    shot = page["screenshot"]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000


def test_headline_cards_equal_the_marts(page, database):
    """NRR and GRR are quoted as boards quote them: trailing twelve months, of the as-of month."""
    columns = ["ending_mrr", "arr", "net_new_mrr", "nrr_12m", "grr_12m", "quick_ratio"]
    now, before = sql(database, f"select {', '.join(columns)} from metrics_mrr_monthly order by month desc limit 2")
    cards = {card["metric"]: card for card in page["cards"]}
    assert list(cards) == columns
    for index, column in enumerate(columns):
        assert number(cards[column]["value"], now[index]) == now[index], column
        assert number(cards[column]["previous"], before[index]) == before[index], column
    assert cards["ending_mrr"]["shown"] == f"${now[0]:,.2f}"
    for index, column in enumerate(columns[3:5], start=3):
        card = cards[column]
        assert "12 months" in card["label"] and "12 months" in card["definition"], column
        assert card["shown"] == ("n/a" if now[index] is None else f"{now[index] * 100:.1f}%"), column


def test_twelve_month_cards_are_checked_on_values(dataset, database):
    """The generated data set has 12 months of history, so the cards above compare real numbers,
    and its 12-month NRR differs from the month's (the two bases must not be confused)."""
    (nrr, nrr_12m, grr_12m), = sql(database, "select nrr, nrr_12m, grr_12m from metrics_mrr_monthly"
                                             " order by month desc limit 1")
    if dataset[0] == "generated":
        assert nrr_12m is not None and grr_12m is not None and round(nrr_12m, 3) != round(nrr, 3)
    else:
        assert nrr_12m is None  # the demo has 12 months: no month has one 12 months before it


def test_movement_bars_add_up_to_the_bridge(page, database):
    category = dict(sql(database, "select movement_type, movement_category from movement_types"))
    drawn: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for mark in chart(page, "movements")["marks"]:
        drawn[(mark["x"], category[mark["series"]])] += Decimal(mark["value"])
    rows = sql(database, "select strftime(month, '%Y-%m'), new_mrr, reactivation_mrr, expansion_mrr,"
                              " -contraction_mrr, -churned_mrr from metrics_mrr_monthly")
    for month, *amounts in rows:
        for name, amount in zip(["new", "reactivation", "expansion", "contraction", "churn"], amounts):
            assert drawn.get((month, name), Decimal(0)) == amount, (month, name)


def test_waterfall_equals_the_bridge_of_each_month(page, database):
    columns = ["starting_mrr", "new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr",
               "churned_mrr", "fx_mrr", "ending_mrr"]
    rows = sql(database, f"select strftime(month, '%Y-%m'), {', '.join(columns)} from metrics_mrr_monthly")
    drawn = {(mark["panel"], mark["series"]): Decimal(mark["value"]) for mark in chart(page, "waterfall")["marks"]}
    signs = {"contraction_mrr": -1, "churned_mrr": -1}
    for month, *amounts in rows:
        for column, amount in zip(columns, amounts):
            assert drawn[(month, column)] == amount * signs.get(column, 1), (month, column)


def test_waterfall_month_can_be_switched(page, database):
    first = sql(database, "select strftime(min(month), '%Y-%m') from metrics_mrr_monthly")[0][0]
    shown = page["browser"].evaluate(f"""(() => {{
        const select = document.getElementById('waterfall-month');
        select.value = '{first}';
        select.dispatchEvent(new Event('change'));
        return [...document.querySelectorAll('[data-chart="waterfall"] .panel')]
            .filter((panel) => panel.getBoundingClientRect().width > 0).map((panel) => panel.dataset.month);
    }})()""")
    assert shown == [first]


def test_rate_lines_equal_the_marts(page, database):
    for name, columns in {"rates": ["expansion_mrr_rate", "upgrade_mrr_rate", "customer_upgrade_rate"],
                          "retention": ["nrr", "grr"], "retention_12m": ["nrr_12m", "grr_12m"]}.items():
        drawn = {(mark["x"], mark["series"]): float(mark["value"]) for mark in chart(page, name)["marks"]}
        rows = sql(database, f"select strftime(month, '%Y-%m'), {', '.join(columns)} from metrics_mrr_monthly")
        expected = {(month, column): value for month, *values in rows
                    for column, value in zip(columns, values) if value is not None}
        assert drawn == expected, name


def test_heat_maps_equal_the_marts(page, database):
    cohorts = {(mark["series"], mark["x"]): float(mark["value"]) for mark in chart(page, "cohorts")["marks"]}
    rows = sql(database, "select strftime(cohort_month, '%Y-%m'), cast(months_since_start as varchar),"
                         " net_revenue_retention from fct_cohort_retention")
    assert cohorts == {(cohort, age): value for cohort, age, value in rows}
    transitions = {(mark["series"], mark["x"]): int(mark["value"]) for mark in chart(page, "transitions")["marks"]}
    rows = sql(database, "select coalesce(from_plan_name, from_plan_id), coalesce(to_plan_name, to_plan_id),"
                         " sum(line_changes) from fct_plan_transitions group by all")
    assert transitions == {(source, target): changes for source, target, changes in rows}


def test_largest_movements_of_the_last_month(page, database):
    rows = sql(database, "select customer_id, movement_type, mrr_amount from fct_mrr_movements"
                         " where month = (select max(month) from metrics_mrr_monthly)"
                         " order by abs(mrr_amount) desc, customer_id, subscription_id, item_id, movement_type"
                         " limit 10")
    drawn = [(row["customer"], row["type"], Decimal(row["value"])) for row in page["rows"]]
    assert sorted(drawn) == sorted(rows) and rows


# Colours ----------------------------------------------------------------------------------------
# Two colours count as distinguishable when their CIELAB distance (CIE76) is at least MIN_DELTA_E,
# for normal vision and for protanopia, deuteranopia and tritanopia simulated with the matrices of
# Machado, Oliveira and Fernandes (2009, severity 1.0) on linear RGB.

MIN_DELTA_E = 10.0
VISION = {
    "normal": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def rgb(css: str) -> tuple[int, int, int]:
    """'rgb(1, 2, 3)' (a computed colour) as a tuple."""
    red, green, blue = (int(part) for part in re.findall(r"\d+", css)[:3])
    return red, green, blue


def lab(colour: tuple[int, int, int], vision: str) -> tuple[float, float, float]:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    red, green, blue = (min(max(row[0] * red + row[1] * green + row[2] * blue, 0.0), 1.0)
                        for row in VISION[vision])
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(first: tuple[int, int, int], second: tuple[int, int, int], vision: str) -> float:
    return sum((a - b) ** 2 for a, b in zip(lab(first, vision), lab(second, vision))) ** 0.5


def series_colours(page: dict, name: str) -> dict[str, set[tuple[int, int, int]]]:
    """Each series of a chart and the colours its marks, lines and legend key are drawn in."""
    item = next(entry for entry in page["colours"] if entry["chart"] == name)
    colours: dict[str, set[tuple[int, int, int]]] = defaultdict(set)
    for element in item["series"]:
        colours[element["series"]].add(rgb(element["colour"]))
    return colours


def test_colour_helpers_tell_red_from_green_only_with_normal_vision():
    red, green = (213, 94, 0), (0, 158, 115)  # Okabe-Ito vermillion and bluish green
    assert delta_e(red, green, "normal") > 50
    assert delta_e((200, 60, 60), (90, 140, 60), "deuteranopia") < MIN_DELTA_E  # a red/green pair that fails


def test_no_two_series_in_a_chart_share_a_colour(page):
    """Every series has one colour (marks, lines and legend agree), distinguishable from the
    chart's other series also for colour-blind readers."""
    for name in sorted(CHARTS - HEAT_MAPS):
        colours = series_colours(page, name)
        assert len(colours) >= (1 if name == "mrr" else 2), name
        assert all(len(shades) == 1 for shades in colours.values()), (name, colours)
        drawn = {series: next(iter(shades)) for series, shades in colours.items()}
        for (one, first), (other, second) in itertools.combinations(drawn.items(), 2):
            for vision in VISION:
                assert delta_e(first, second, vision) >= MIN_DELTA_E, (name, one, other, vision)


def test_monthly_and_twelve_month_retention_are_separate_charts(page):
    """The two bases (constant currency without reactivations, and with fx and returning customers)
    are never drawn in one chart, and each chart's definition names its own base."""
    monthly, trailing = series_colours(page, "retention"), series_colours(page, "retention_12m")
    assert set(monthly) == {"nrr", "grr"} and set(trailing) == {"nrr_12m", "grr_12m"}
    assert "constant currency" in chart(page, "retention")["definition"]
    assert "fx" in chart(page, "retention_12m")["definition"]


# Names ------------------------------------------------------------------------------------------

def test_names_where_the_input_has_them(page, dataset, database):
    """Customers and plans are shown by the names of the input files, ids on hover; by id where the
    input has no name. Plan names reach the marts only for plans that changed (fct_plan_transitions),
    so a plan that never did is shown by its id."""
    _, input_dir, _ = dataset
    customer_names = {row["customer_id"]: row["customer_name"] for row in input_rows(input_dir, "customers")
                      if row.get("customer_name")}
    plan_names = {row["plan_id"]: row["plan_name"] for row in input_rows(input_dir, "plans") if row.get("plan_name")}
    changed = {plan for (plan,) in sql(database, "select from_plan_id from fct_plan_transitions"
                                                 " union select to_plan_id from fct_plan_transitions")}
    movements = {(customer, kind, Decimal(str(amount))): (source, target) for customer, kind, amount, source, target
                 in sql(database, "select customer_id, movement_type, mrr_amount, from_plan_id, to_plan_id"
                                  " from fct_mrr_movements where month = (select max(month) from metrics_mrr_monthly)")}
    assert page["rows"]
    for row in page["rows"]:
        customer = row["customer"]
        assert row["name"]["text"] == customer_names.get(customer, customer)
        assert row["name"]["tip"] == (customer if customer in customer_names else None)
        plans = [plan or "–" for plan in movements[(customer, row["type"], Decimal(row["value"]))]]
        plans = plans[:1] if plans[0] == plans[1] else plans
        shown = [plan_names[plan] if plan in plan_names and plan in changed else plan for plan in plans]
        assert row["plans"]["text"] == " → ".join(shown)
        assert row["plans"]["tip"] in (None, " → ".join(plans))
    if customer_names:  # the demo: its customers are named, so a name is shown
        assert any(row["name"]["text"] != row["customer"] for row in page["rows"])


# Cohorts ----------------------------------------------------------------------------------------

def test_cohort_sizes_are_drawn_and_small_cohorts_greyed_out(page, database):
    sizes = dict(sql(database, "select strftime(cohort_month, '%Y-%m'), max(cohort_customers)"
                               " from fct_cohort_retention group by 1"))
    labels = {label["cohort"]: label for label in page["cohortLabels"]}
    assert set(labels) == set(sizes)
    for cohort, size in sizes.items():
        assert re.search(rf"\b{size} customers?\b", labels[cohort]["text"]), labels[cohort]
        assert labels[cohort]["width"] > 0
    small = {cohort for cohort, size in sizes.items() if size < MIN_COHORT_CUSTOMERS}
    cells = page["cohortCells"]
    greys = {rgb(cell["colour"]) for cell in cells if cell["cohort"] in small}
    assert all(cell["muted"] == (cell["cohort"] in small) for cell in cells)
    assert len(greys) <= 1 and all(max(grey) - min(grey) <= 8 for grey in greys), greys  # one neutral grey
    assert not greys & {rgb(cell["colour"]) for cell in cells if cell["cohort"] not in small}
    assert str(MIN_COHORT_CUSTOMERS) in chart(page, "cohorts")["definition"]


@pytest.mark.parametrize("make, message", [
    (lambda path: None, "does not exist"),
    (lambda path: open_duckdb(path, read_only=False).close(), "lacks the mart(s) metrics_mrr_monthly"),
], ids=["no database", "no marts"])
def test_report_refuses_a_database_without_marts(tmp_path, capsys, make, message):
    database = tmp_path / "empty.duckdb"
    make(database)
    assert main(["report", "--database", str(database), "--out", str(tmp_path / "r.html")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
