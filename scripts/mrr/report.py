"""`mrr report`: one self-contained HTML file (inline SVG, CSS and a few lines of JS) from the marts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from mrr.charts import WIDE, Cell, Series, Step, heat_map, line_chart, mix, stacked_bar_chart, waterfall_chart
from mrr.report_data import LARGEST_MOVEMENTS, ReportData, Row, read_report_data, to_json

TEMPLATE = Path(__file__).with_name("report_template.html")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

# Colours. Every series of a chart has its own colour, told apart also with protanopia,
# deuteranopia and tritanopia (CIELAB distance of at least 10 under the Machado et al. 2009
# simulations, checked by tests/python/test_report.py). Expansion types are blues to a blue-green,
# contraction types browns to orange-yellow (ColorBrewer PuBu/Blues/GnBu and Oranges/YlOrBr steps
# and Paul Tol's light cyan), each ramp dark to light; new and reactivation are purples, churn
# near-black; the line charts use Okabe-Ito colours.
OKABE_BLUE, OKABE_GREEN, OKABE_VERMILLION, OKABE_PURPLE = "#0072b2", "#009e73", "#d55e00", "#cc79a7"
NEW, REACTIVATION, CHURN = "#3f007d", OKABE_PURPLE, "#252525"
EXPANSION = ("#023858", "#08519c", "#2b8cbe", "#88ccee", "#a8ddb5")
CONTRACTION = ("#662506", "#a63603", "#f16913", "#fdae6b", "#fec44f")
START, END, FX = "#bdbdbd", "#636363", "#ddcc77"  # the waterfall's totals and fx
SMALL_COHORT = "#d9d9d9"  # cells of cohorts too small to read

# Movement types in stacking order: key, label, color.
MOVEMENT_STYLES = (
    ("new", "New", NEW),
    ("reactivation", "Reactivation", REACTIVATION),
    ("upgrade", "Upgrade", EXPANSION[0]),
    ("add_on", "Add-on", EXPANSION[1]),
    ("seat_expansion", "Seat expansion", EXPANSION[2]),
    ("price_increase", "Price increase", EXPANSION[3]),
    ("discount_end", "Discount end", EXPANSION[4]),
    ("downgrade", "Downgrade", CONTRACTION[0]),
    ("add_on_removal", "Add-on removal", CONTRACTION[1]),
    ("seat_contraction", "Seat contraction", CONTRACTION[2]),
    ("price_decrease", "Price decrease", CONTRACTION[3]),
    ("discount_start", "Discount start", CONTRACTION[4]),
    ("churn", "Churn", CHURN),
)
MOVEMENT_LABELS = {key: label for key, label, _ in MOVEMENT_STYLES} | {"fx": "FX"}

# Cohorts with fewer customers than this are greyed out in the cohort heat map: one customer
# moves such a cohort's rate by 10 points or more, so a cell of "300 %" can be a single customer.
MIN_COHORT_CUSTOMERS = 10

DEFINITIONS = {
    "mrr": "MRR is a month-end snapshot: what customers would pay in an average month at the terms"
           " in force, net of recurring discounts; ARR = MRR × 12.",
    "waterfall": "Ending MRR = starting + new + reactivation + expansion − contraction − churned + fx;"
                 " every movement explains a change of one customer's month-end MRR.",
    "movements": "Each month's MRR change by movement: new and reactivation (whole customer),"
                 " expansion and contraction by type, churn; fx (currency) changes are left out.",
    "rates": "Expansion (upgrade) MRR rate = expansion (upgrade) MRR / starting MRR; customer upgrade"
             " rate = upgrading customers among those with MRR at the start / customers at the start.",
    "retention": "Month over month, constant currency: NRR = (starting + expansion − contraction −"
                 " churn of the customers with MRR at the start) / starting MRR; GRR leaves expansion"
                 " out; customers who return (reactivations) are not counted.",
    "retention_12m": "Trailing 12 months: NRR = MRR now of the customers with MRR 12 months earlier /"
                     " their MRR then; GRR caps each customer at its MRR then. Includes fx and customers"
                     " who left and returned, so it is not comparable to the monthly figures.",
    "transitions": "Lines of continuing customers whose plan changed between two month ends (same line"
                   " or cancel-and-recreate), all months: blue upgrade, orange downgrade, grey lateral.",
    "cohorts": "Cohort = month of a customer's first MRR (its size in customers next to it); each cell"
               " is the cohort's MRR that month / its MRR in month 0, blue above 100 %, orange below"
               " (customers that leave and return stay in their cohort). Cohorts of fewer than"
               f" {MIN_COHORT_CUSTOMERS} customers are greyed out: too small to read as a rate.",
    "largest": "The as-of month's largest movements, one row per customer, subscription line and"
               " movement type (fct_mrr_movements), by size; hover a name for its id.",
}


# Formatting -------------------------------------------------------------------------------------

class Formats:
    """Amounts in the reporting currency, rates as percent."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.symbol = SYMBOLS.get(currency, currency + " ")

    def money(self, value: float | Decimal | None) -> str:
        if value is None:
            return "n/a"
        sign = "−" if value < 0 else ""
        return f"{sign}{self.symbol}{abs(value):,.2f}"

    def money_tick(self, value: float) -> str:
        sign, size = ("−" if value < 0 else ""), abs(value)
        if size >= 1_000_000:
            return f"{sign}{self.symbol}{size / 1_000_000:.1f}M"
        if size >= 10_000:
            return f"{sign}{self.symbol}{size / 1_000:.0f}k"
        return f"{sign}{self.symbol}{size:,.0f}"

    @staticmethod
    def percent(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 100:.1f}%"

    @staticmethod
    def ratio(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}×"


def month_label(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def as_float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def exact(value: Any) -> str:
    """The exact value for data-value: decimals as written, floats with every digit, null empty."""
    if value is None:
        return ""
    return str(value) if isinstance(value, Decimal) else repr(value)


# Headline cards ---------------------------------------------------------------------------------

CARDS = (
    # key (column of metrics_mrr_monthly), label, kind, definition
    ("ending_mrr", "MRR", "money", "Month-end MRR"),
    ("arr", "ARR", "money", "MRR × 12"),
    ("net_new_mrr", "Net new MRR", "money", "Ending − starting MRR"),
    ("nrr_12m", "NRR, 12 months", "percent",
     "MRR now of the customers with MRR 12 months earlier / their MRR then"),
    ("grr_12m", "GRR, 12 months", "percent",
     "As NRR, each customer capped at its MRR 12 months earlier"),
    ("quick_ratio", "Quick ratio", "ratio", "(new + reactivation + expansion) / (contraction + churn)"),
)
TWELVE_MONTH_CARDS = ("nrr_12m", "grr_12m")


def months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def no_value_note(key: str, month: dt.date) -> str | None:
    """Why a 12-month card has no value: no MRR 12 months before the month."""
    if key not in TWELVE_MONTH_CARDS:
        return None
    return f"no MRR in {month_label(months_before(month, 12))}, 12 months earlier"


def card_change(kind: str, now: Any, before: Any, formats: Formats) -> str:
    """'+$12.00', '−1.2 pp': the change against the previous month."""
    if now is None or before is None:
        return "no comparison"
    delta = now - before
    if kind == "money":
        return ("+" if delta >= 0 else "") + formats.money(delta)
    if kind == "percent":
        return f"{'+' if delta >= 0 else '−'}{abs(delta) * 100:.1f} pp"
    return f"{'+' if delta >= 0 else '−'}{abs(delta):.2f}"


def cards_html(data: ReportData, formats: Formats) -> str:
    now, before = data.as_of_month, data.previous_month
    shown = {"money": formats.money, "percent": formats.percent, "ratio": formats.ratio}
    parts = []
    for key, label, kind, definition in CARDS:
        previous = before[key] if before else None
        change = card_change(kind, now[key], previous, formats)
        direction = "" if now[key] is None or previous is None else ("up" if now[key] >= previous else "down")
        versus = f" vs {month_label(before['month'])}" if before and previous is not None else ""
        note = no_value_note(key, now["month"]) if now[key] is None else None
        if note:
            change, versus = note, ""
        parts.append(
            f'<div class="card" data-metric="{key}" data-value="{exact(now[key])}"'
            f' data-previous="{exact(previous)}" title="{escape(definition)}">'
            f'<div class="card-label">{escape(label)}</div>'
            f'<div class="card-value">{escape(shown[kind](now[key]))}</div>'
            f'<div class="card-change {direction}">{escape(change + versus)}</div>'
            f'<div class="card-definition">{escape(definition)}</div></div>'
        )
    return "\n".join(parts)


# Charts -----------------------------------------------------------------------------------------

def figure(chart: str, title: str, definition: str, body: str, *, legend: Sequence[Series] = (),
           controls: str = "") -> str:
    """A chart in a <figure>: title, one-line definition, optional controls and legend."""
    keys = "".join(
        f'<span class="key" data-series="{escape(s.key)}"><i style="background:{s.color}"></i>'
        f'{escape(s.label)}</span>' for s in legend
    )
    return (
        f'<figure class="chart" data-chart="{chart}"><figcaption><h2>{escape(title)}</h2>'
        f'<p class="definition">{escape(definition)}</p></figcaption>{controls}'
        f'<div class="legend">{keys}</div>{body}</figure>'
    )


def mrr_chart(data: ReportData, formats: Formats) -> str:
    months = [month_label(month) for month in data.months]
    series = [
        Series("ending_mrr", "MRR", [as_float(row["ending_mrr"]) for row in data.monthly], OKABE_BLUE,
               exact=[exact(row["ending_mrr"]) for row in data.monthly]),
    ]
    body = line_chart("mrr", months, series, y_title=f"MRR ({formats.currency})", x_title="Month (end)",
                      fmt=formats.money_tick)
    return figure("mrr", "MRR over time", DEFINITIONS["mrr"], body)


def waterfall_steps(row: Row) -> list[Step]:
    """The bridge of one month as waterfall bars, losses negative."""
    def change(key: str, label: str, color: str, sign: int = 1) -> Step:
        value = row[key] * sign
        return Step(key, label, float(value), exact(value), color)

    return [
        Step("starting_mrr", "Start", float(row["starting_mrr"]), exact(row["starting_mrr"]), START, True),
        change("new_mrr", "New", NEW),
        change("reactivation_mrr", "Reactiv.", REACTIVATION),
        change("expansion_mrr", "Expansion", EXPANSION[2]),
        change("contraction_mrr", "Contract.", CONTRACTION[2], -1),
        change("churned_mrr", "Churn", CHURN, -1),
        change("fx_mrr", "FX", FX),
        Step("ending_mrr", "End", float(row["ending_mrr"]), exact(row["ending_mrr"]), END, True),
    ]


def waterfall_figure(data: ReportData, formats: Formats) -> str:
    """One waterfall per month, the as-of month shown; a select switches between them."""
    as_of = month_label(data.as_of_month["month"])
    options, panels = [], []
    for row in reversed(data.monthly):
        label = month_label(row["month"])
        selected = " selected" if label == as_of else ""
        hidden = "" if label == as_of else " hidden"
        options.append(f'<option value="{label}"{selected}>{label}</option>')
        chart = waterfall_chart(f"waterfall-{label}", waterfall_steps(row),
                                y_title=f"MRR ({formats.currency})", x_title=f"Bridge of {label}",
                                fmt=formats.money_tick, label_fmt=formats.money)
        panels.append(f'<div class="panel" data-month="{label}"{hidden}>{chart}</div>')
    controls = (f'<label class="control">Month <select id="waterfall-month">{"".join(options)}'
                f'</select></label>')
    return figure("waterfall", "MRR bridge (waterfall)", DEFINITIONS["waterfall"], "".join(panels),
                  controls=controls)


def movement_series(data: ReportData) -> list[Series]:
    """Per movement type (fx left out), its summed amount per month; types that never occur dropped."""
    index = {month: position for position, month in enumerate(data.months)}
    amounts: dict[str, list[Decimal]] = {}
    for row in data.movements_by_type:
        if row["movement_category"] == "fx" or row["month"] not in index:
            continue
        values = amounts.setdefault(row["movement_type"], [Decimal(0)] * len(index))
        values[index[row["month"]]] += row["mrr_amount"]
    return [
        Series(key, label, [float(value) for value in amounts[key]], color,
               exact=[str(value) for value in amounts[key]])
        for key, label, color in MOVEMENT_STYLES if key in amounts
    ]


def movements_chart(data: ReportData, formats: Formats) -> str:
    months = [month_label(month) for month in data.months]
    series = movement_series(data)
    body = stacked_bar_chart("movements", months, series, y_title=f"MRR change ({formats.currency})",
                             x_title="Month", fmt=formats.money_tick, width=WIDE)
    return figure("movements", "MRR movements by type", DEFINITIONS["movements"], body, legend=series)


def rate_series(data: ReportData, columns: Sequence[tuple[str, str, str]]) -> list[Series]:
    """Columns of metrics_mrr_monthly as lines: (column, label, color)."""
    return [Series(key, label, [as_float(row[key]) for row in data.monthly], color) for key, label, color in columns]


def rates_chart(data: ReportData) -> str:
    series = rate_series(data, [
        ("expansion_mrr_rate", "Expansion MRR rate", OKABE_BLUE),
        ("upgrade_mrr_rate", "Upgrade MRR rate", OKABE_GREEN),
        ("customer_upgrade_rate", "Customer upgrade rate", OKABE_PURPLE),
    ])
    months = [month_label(month) for month in data.months]
    body = line_chart("rates", months, series, y_title="Rate (% of start of month)", x_title="Month",
                      fmt=Formats.percent, width=WIDE)
    return figure("rates", "Expansion and upgrade rates", DEFINITIONS["rates"], body, legend=series)


def retention_chart(data: ReportData) -> str:
    """NRR and GRR of each month, constant currency."""
    series = rate_series(data, [
        ("nrr", "NRR (month)", OKABE_BLUE),
        ("grr", "GRR (month)", OKABE_VERMILLION),
    ])
    months = [month_label(month) for month in data.months]
    body = line_chart("retention", months, series, y_title="Retention (% of starting MRR)",
                      x_title="Month", fmt=Formats.percent, include_zero=False)
    return figure("retention", "Monthly net and gross revenue retention", DEFINITIONS["retention"],
                  body, legend=series)


def retention_12m_chart(data: ReportData) -> str:
    """Trailing-twelve-month NRR and GRR: the figures the headline cards quote, on their own base."""
    series = rate_series(data, [
        ("nrr_12m", "NRR (12 months)", OKABE_GREEN),
        ("grr_12m", "GRR (12 months)", OKABE_PURPLE),
    ])
    months = [month_label(month) for month in data.months]
    body = line_chart("retention_12m", months, series, y_title="Retention (% of MRR 12 months earlier)",
                      x_title="Month", fmt=Formats.percent, include_zero=False,
                      empty="No month has MRR 12 months before it yet.")
    return figure("retention_12m", "12-month net and gross revenue retention",
                  DEFINITIONS["retention_12m"], body, legend=series)


def transition_cell(row: Row, largest: int, formats: Formats) -> Cell:
    net = row["plan_change_mrr"]
    color = EXPANSION[2] if net > 0 else CONTRACTION[2] if net < 0 else START
    lines = row["line_changes"]
    tip = (f"{row['from_plan']} → {row['to_plan']}: {lines} line change(s) ({row['upgrades']} upgrade,"
           f" {row['downgrades']} downgrade, {row['laterals']} lateral), plan change"
           f" {formats.money(net)}")
    return Cell(row["from_plan"], row["to_plan"], float(lines), str(lines), str(lines), tip,
                mix(color, 0.25 + 0.75 * lines / largest))


def transitions_chart(data: ReportData, formats: Formats) -> str:
    rows = data.transitions
    if not rows:
        body = '<p class="empty">No plan changes yet.</p>'
    else:
        plans = sorted({row["from_plan"] for row in rows} | {row["to_plan"] for row in rows})
        largest = max(row["line_changes"] for row in rows)
        cells = [transition_cell(row, largest, formats) for row in rows]
        body = heat_map("transitions", plans, plans, cells, y_title="From plan", x_title="To plan")
    return figure("transitions", "Plan transitions (line changes)", DEFINITIONS["transitions"], body)


def customers(count: int) -> str:
    return f"{count} customer" + ("" if count == 1 else "s")


def cohort_cell(row: Row, formats: Formats) -> Cell:
    """A cohort's retention in one month: blue above 100 %, orange below, grey when too small."""
    retention = row["net_revenue_retention"]
    cohort = month_label(row["cohort_month"])
    value = 1.0 if retention is None else retention
    small = row["cohort_customers"] < MIN_COHORT_CUSTOMERS
    if small:
        color = SMALL_COHORT
    else:
        color = mix(EXPANSION[2], (value - 1) / 0.5) if value >= 1 else mix(CONTRACTION[2], (1 - value) / 0.5)
    tip = (f"Cohort {cohort} ({customers(row['cohort_customers'])}), month {row['months_since_start']}:"
           f" {formats.percent(retention)} of starting MRR ({formats.money(row['mrr'])}),"
           f" {customers(row['customers_with_mrr'])} ({formats.percent(row['logo_retention'])})")
    if small:
        tip += f"; fewer than {MIN_COHORT_CUSTOMERS} customers, too small to read as a rate"
    return Cell(cohort, str(row["months_since_start"]), value, exact(retention),
                f"{value * 100:.0f}%", tip, color, muted=small)


def cohort_labels(data: ReportData) -> dict[str, str]:
    """'2024-01 · 11 customers': each cohort with its size."""
    sizes = {month_label(row["cohort_month"]): row["cohort_customers"] for row in data.cohorts}
    return {cohort: f"{cohort} · {customers(size)}" for cohort, size in sizes.items()}


def cohorts_chart(data: ReportData, formats: Formats) -> str:
    cohorts = sorted({month_label(row["cohort_month"]) for row in data.cohorts})
    ages = [str(age) for age in range(max((row["months_since_start"] for row in data.cohorts), default=0) + 1)]
    cells = [cohort_cell(row, formats) for row in data.cohorts]
    body = heat_map("cohorts", cohorts, ages, cells, y_title="Cohort (size)",
                    x_title="Months since the cohort's first month with MRR",
                    row_labels=cohort_labels(data), label_width=200)
    return figure("cohorts", "Cohort revenue retention", DEFINITIONS["cohorts"], body)


def named_cell(name: str, key: str, css: str) -> str:
    """A table cell showing a name, its id on hover; the id alone where there is no name."""
    if name == key:
        return f'<td class="{css}">{escape(key)}</td>'
    return f'<td class="{css}" data-tip="{escape(key)}">{escape(name)}</td>'


def plans_cell(row: Row, names: dict[str, str]) -> str:
    """'Starter → Pro', or one plan when it did not change; ids on hover."""
    ids = [plan or "–" for plan in (row["from_plan_id"], row["to_plan_id"])]
    if ids[0] == ids[1]:
        ids = ids[:1]
    shown = " → ".join(names.get(plan, plan) for plan in ids)
    return named_cell(shown, " → ".join(ids), "plans")


def movement_row(row: Row, data: ReportData, formats: Formats) -> str:
    customer, kind = row["customer_id"], row["movement_type"]
    line = row["subscription_id"] + (f" / {row['item_id']}" if row["item_id"] else "")
    sign = "gain" if row["mrr_amount"] > 0 else "loss"
    return (
        f'<tr data-customer="{escape(customer)}" data-type="{escape(kind)}"'
        f' data-value="{exact(row["mrr_amount"])}">'
        + named_cell(data.customer_names.get(customer, customer), customer, "customer")
        + f'<td>{escape(line)}</td><td>{escape(MOVEMENT_LABELS.get(kind, kind))}</td>'
        + plans_cell(row, data.plan_names)
        + f'<td class="amount {sign}">{escape(formats.money(row["mrr_amount"]))}</td></tr>'
    )


def largest_movements_table(data: ReportData, formats: Formats) -> str:
    month = month_label(data.as_of_month["month"])
    rows = [movement_row(row, data, formats) for row in data.largest_movements]
    body = (
        f'<table class="movements"><thead><tr><th>Customer</th><th>Subscription / item</th>'
        f'<th>Movement</th><th>Plan (from → to)</th><th class="amount">MRR change ({formats.currency})</th>'
        f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        if rows else f'<p class="empty">No movements in {month}.</p>'
    )
    title = f"Largest movements of {month} (top {LARGEST_MOVEMENTS})"
    return (f'<section class="table-section" data-table="largest-movements"><h2>{escape(title)}</h2>'
            f'<p class="definition">{escape(DEFINITIONS["largest"])}</p>{body}</section>')


# The page ---------------------------------------------------------------------------------------

def json_island(data: ReportData) -> str:
    """The numbers behind the report, as JSON that cannot close its <script> element early."""
    payload = {
        "currency": data.currency,
        "as_of_month": data.as_of_month["month"].isoformat(),
        "monthly": to_json(data.monthly),
        "largest_movements": to_json(data.largest_movements),
    }
    return json.dumps(payload, sort_keys=True).replace("</", "<\\/")


def render(data: ReportData) -> str:
    formats = Formats(data.currency)
    charts = [
        mrr_chart(data, formats),
        waterfall_figure(data, formats),
        movements_chart(data, formats),
        retention_12m_chart(data),
        retention_chart(data),
        rates_chart(data),
        transitions_chart(data, formats),
        cohorts_chart(data, formats),
    ]
    return Template(TEMPLATE.read_text()).substitute(
        title="MRR report",
        as_of=month_label(data.as_of_month["month"]),
        currency=data.currency,
        source=escape(data.database.name),
        cards=cards_html(data, formats),
        charts="\n".join(charts),
        table=largest_movements_table(data, formats),
        data=json_island(data),
    )


def write_report(database: Path, out: Path, currency: str = "USD") -> Path:
    """Read the marts of `database` and write the report to `out`; returns its absolute path."""
    html = render(read_report_data(database, currency.upper()))
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
