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
GREEN, RED, GREY, BLUE = "#16a34a", "#dc2626", "#94a3b8", "#2563eb"

# Movement types in stacking order: key, label, color (new blue, expansion green, losses red).
MOVEMENT_STYLES = (
    ("new", "New", BLUE),
    ("reactivation", "Reactivation", "#7c3aed"),
    ("upgrade", "Upgrade", "#166534"),
    ("add_on", "Add-on", "#16a34a"),
    ("seat_expansion", "Seat expansion", "#4ade80"),
    ("price_increase", "Price increase", "#65a30d"),
    ("discount_end", "Discount end", "#a3e635"),
    ("downgrade", "Downgrade", "#9a3412"),
    ("add_on_removal", "Add-on removal", "#ea580c"),
    ("seat_contraction", "Seat contraction", "#fb923c"),
    ("price_decrease", "Price decrease", "#d97706"),
    ("discount_start", "Discount start", "#fbbf24"),
    ("churn", "Churn", "#b91c1c"),
)

DEFINITIONS = {
    "mrr": "MRR is a month-end snapshot: what customers would pay in an average month at the terms"
           " in force, net of recurring discounts; ARR = MRR × 12.",
    "waterfall": "Ending MRR = starting + new + reactivation + expansion − contraction − churned + fx;"
                 " every movement explains a change of one customer's month-end MRR.",
    "movements": "Each month's MRR change by movement: new and reactivation (whole customer),"
                 " expansion and contraction by type, churn; fx (currency) changes are left out.",
    "rates": "Expansion (upgrade) MRR rate = expansion (upgrade) MRR / starting MRR; customer upgrade"
             " rate = upgrading customers among those with MRR at the start / customers at the start.",
    "retention": "NRR = (starting + expansion − contraction − churn of the customers with MRR at the"
                 " start) / starting MRR, in constant currency; GRR leaves expansion out; 12-month:"
                 " MRR now of the customers with MRR 12 months earlier / their MRR then.",
    "transitions": "Lines of continuing customers whose plan changed between two month ends (same line"
                   " or cancel-and-recreate), all months: green upgrade, red downgrade, grey lateral.",
    "cohorts": "Cohort = month of a customer's first MRR; each cell is the cohort's MRR that month /"
               " its MRR in month 0 (customers that leave and return stay in their cohort).",
    "largest": "The as-of month's largest movements, one row per customer, subscription line and"
               " movement type (fct_mrr_movements), by size.",
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
    ("nrr", "NRR", "percent", "Net revenue retention of the month"),
    ("grr", "GRR", "percent", "Gross revenue retention of the month"),
    ("quick_ratio", "Quick ratio", "ratio", "(new + reactivation + expansion) / (contraction + churn)"),
)


def card_change(kind: str, now: Any, before: Any, formats: Formats) -> str:
    """'+$12.00 vs 2024-11', '−1.2 pp vs ...': the change against the previous month."""
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
        versus = f" vs {month_label(before['month'])}" if before else ""
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
        f'<span class="key"><i style="background:{s.color}"></i>{escape(s.label)}</span>' for s in legend
    )
    return (
        f'<figure class="chart" data-chart="{chart}"><figcaption><h2>{escape(title)}</h2>'
        f'<p class="definition">{escape(definition)}</p></figcaption>{controls}'
        f'<div class="legend">{keys}</div>{body}</figure>'
    )


def mrr_chart(data: ReportData, formats: Formats) -> str:
    months = [month_label(month) for month in data.months]
    series = [
        Series("ending_mrr", "MRR", [as_float(row["ending_mrr"]) for row in data.monthly], BLUE,
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
        Step("starting_mrr", "Start", float(row["starting_mrr"]), exact(row["starting_mrr"]), GREY, True),
        change("new_mrr", "New", BLUE),
        change("reactivation_mrr", "Reactiv.", "#7c3aed"),
        change("expansion_mrr", "Expansion", GREEN),
        change("contraction_mrr", "Contract.", "#ea580c", -1),
        change("churned_mrr", "Churn", "#b91c1c", -1),
        change("fx_mrr", "FX", "#64748b"),
        Step("ending_mrr", "End", float(row["ending_mrr"]), exact(row["ending_mrr"]), BLUE, True),
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


def rate_series(data: ReportData, columns: Sequence[tuple[str, str, str, bool]]) -> list[Series]:
    return [
        Series(key, label, [as_float(row[key]) for row in data.monthly], color, dashed)
        for key, label, color, dashed in columns
    ]


def rates_chart(data: ReportData) -> str:
    series = rate_series(data, [
        ("expansion_mrr_rate", "Expansion MRR rate", GREEN, False),
        ("upgrade_mrr_rate", "Upgrade MRR rate", "#0d9488", False),
        ("customer_upgrade_rate", "Customer upgrade rate", BLUE, False),
    ])
    months = [month_label(month) for month in data.months]
    body = line_chart("rates", months, series, y_title="Rate (% of start of month)", x_title="Month",
                      fmt=Formats.percent)
    return figure("rates", "Expansion and upgrade rates", DEFINITIONS["rates"], body, legend=series)


def retention_chart(data: ReportData) -> str:
    series = rate_series(data, [
        ("nrr", "NRR (month)", "#0f766e", False),
        ("grr", "GRR (month)", "#7c3aed", False),
        ("nrr_12m", "NRR (12 months)", "#0f766e", True),
        ("grr_12m", "GRR (12 months)", "#7c3aed", True),
    ])
    months = [month_label(month) for month in data.months]
    body = line_chart("retention", months, series, y_title="Retention (% of starting MRR)",
                      x_title="Month", fmt=Formats.percent, include_zero=False)
    return figure("retention", "Net and gross revenue retention", DEFINITIONS["retention"], body,
                  legend=series)


def transition_cell(row: Row, largest: int, formats: Formats) -> Cell:
    net = row["plan_change_mrr"]
    color = GREEN if net > 0 else RED if net < 0 else GREY
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


def cohort_cell(row: Row, formats: Formats) -> Cell:
    retention = row["net_revenue_retention"]
    cohort = month_label(row["cohort_month"])
    value = 1.0 if retention is None else retention
    color = mix(GREEN, (value - 1) / 0.5) if value >= 1 else mix(RED, (1 - value) / 0.5)
    tip = (f"Cohort {cohort} ({row['cohort_customers']} customers), month {row['months_since_start']}:"
           f" {formats.percent(retention)} of starting MRR ({formats.money(row['mrr'])}),"
           f" {row['customers_with_mrr']} customers ({formats.percent(row['logo_retention'])})")
    return Cell(cohort, str(row["months_since_start"]), value, exact(retention),
                f"{value * 100:.0f}%", tip, color)


def cohorts_chart(data: ReportData, formats: Formats) -> str:
    cohorts = sorted({month_label(row["cohort_month"]) for row in data.cohorts})
    ages = [str(age) for age in range(max((row["months_since_start"] for row in data.cohorts), default=0) + 1)]
    cells = [cohort_cell(row, formats) for row in data.cohorts]
    body = heat_map("cohorts", cohorts, ages, cells, y_title="Cohort",
                    x_title="Months since the cohort's first month with MRR")
    return figure("cohorts", "Cohort revenue retention", DEFINITIONS["cohorts"], body)


def largest_movements_table(data: ReportData, formats: Formats) -> str:
    month = month_label(data.as_of_month["month"])
    rows = []
    for row in data.largest_movements:
        line = row["subscription_id"] + (f" / {row['item_id']}" if row["item_id"] else "")
        plans = " → ".join(plan or "–" for plan in (row["from_plan_id"], row["to_plan_id"]))
        sign = "gain" if row["mrr_amount"] > 0 else "loss"
        rows.append(
            f'<tr data-customer="{escape(row["customer_id"])}" data-type="{escape(row["movement_type"])}"'
            f' data-value="{exact(row["mrr_amount"])}"><td>{escape(row["customer_id"])}</td>'
            f'<td>{escape(line)}</td><td>{escape(row["movement_type"])}</td><td>{escape(plans)}</td>'
            f'<td class="amount {sign}">{escape(formats.money(row["mrr_amount"]))}</td></tr>'
        )
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
