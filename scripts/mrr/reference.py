"""Independent recomputation of the MRR engine, in pandas and plain Python.

This is the second path that `mrr validate` compares the dbt marts with. It reads the input
files directly (never anything dbt produced) and applies the written definitions of issue 3 and
the lead's engine conventions (one rounding per value) in the most direct way:

1. every subscription period is expanded to the months at whose end it is in force;
2. each line-month is valued exactly (``fractions.Fraction``) and rounded once, half away from
   zero, to integer cents; values are memoised per distinct combination of terms and fx rate;
3. customer MRR is the sum of its lines that have MRR (> 0 cents);
4. movements follow the customer's transition from month M-1 to month M; for a continuing
   customer, after switch pairing per product, a line whose plan changed is one upgrade or
   downgrade (its new terms less its old ones, at the old rate) plus fx, and any other line
   that changed is decomposed by sequential substitution (price, then quantity, then discount,
   then fx);
5. the bridge aggregates customer MRR and movements per month.

Money is carried as exact integer cents internally and returned as ``decimal.Decimal`` with two
decimal places. Months are integers (``year * 12 + month - 1``) internally and ``datetime.date``
(first day of the month) in the results.

Conventions this module decides where the definitions are silent:

- An empty cell in an optional column takes that column's default, like a missing column.
- Column names are matched after trimming and lower-casing; cell values are trimmed of spaces,
  tabs, carriage returns and line feeds (so ' acme ' and 'acme' are one id); currency codes
  (and the reporting currency) are upper-cased; ``billing_interval`` is lower-cased;
  ``is_trial`` accepts true/false, t/f, yes/no, y/n, 1/0 (any case).
- Numbers are exact decimals as written, never rounded: unit_amount with at most 8 decimal
  places, quantity 4, discount_percent 6, discount_amount 10 and fx rates 10 (trailing zeros not
  counted), below 10^18 (fx rates below 10^5), and a period's list price and amount discount
  scaled by its billing factor (numerator times denominator) below 10^17: the bounds of the
  engine's exact arithmetic (rules too_many_decimals and amount_out_of_range).
- Dates are ISO dates; a timestamp (in text or Parquet) is truncated to its date. Parquet
  columns are cast to text by pyarrow and then parsed like CSV cells.
- An fx rate is needed only for a line-month whose net price is > 0 (a trial or free line in a
  currency without rates is not an error); rows of ``fx_rates`` for the reporting currency are
  ignored (its rate is always 1); two rows for the same currency and date (even with the same
  rate: rule duplicate_fx_rate), or a rate <= 0, are errors.
- A plan missing from ``plans`` (or a plan without ``product_id``) belongs to product ''; a
  plan_id or customer_id on two rows of its file (after trimming) is an error, as in the build.
- ``name.csv`` and ``name.parquet`` both present is an error (ambiguous input).
- Input that has no defined meaning for the computation (unparseable values, missing ids,
  negative amounts, a discount above 100 %, unknown intervals, a line whose customer or currency
  changes, overlapping periods of one line, a needed fx rate that does not exist) raises
  :class:`InputError`; the reference does not quarantine.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

FACTORS: dict[str, Fraction] = {
    "day": Fraction(365, 12),
    "week": Fraction(52, 12),
    "month": Fraction(1),
    "quarter": Fraction(1, 3),
    "year": Fraction(1, 12),
}

CATEGORY: dict[str, str] = {
    "new": "new",
    "reactivation": "reactivation",
    "upgrade": "expansion",
    "add_on": "expansion",
    "seat_expansion": "expansion",
    "price_increase": "expansion",
    "discount_end": "expansion",
    "downgrade": "contraction",
    "add_on_removal": "contraction",
    "seat_contraction": "contraction",
    "price_decrease": "contraction",
    "discount_start": "contraction",
    "churn": "churn",
    "fx": "fx",
}

INPUT_NAMES = ("subscriptions", "customers", "plans", "fx_rates")
SUBSCRIPTION_REQUIRED = ("subscription_id", "customer_id", "plan_id", "unit_amount", "valid_from")
WHITESPACE = " \t\r\n"  # what staging trims around every value (macro trim_whitespace)
# the most decimal places of each number the engine's arithmetic holds exactly (too_many_decimals)
DECIMAL_PLACES = {"unit_amount": 8, "quantity": 4, "discount_percent": 6, "discount_amount": 10,
                  "rate_to_reporting": 10}
NUMBER_BOUND = Decimal(10) ** 18  # staging's decimal(28, 10) (amount_out_of_range)
RATE_BOUND = Decimal(10) ** 5
SCALED_AMOUNT_BOUND = Decimal(10) ** 17
FACTOR_PARTS: dict[str, tuple[int, int]] = {  # billing factor as (numerator, denominator)
    "day": (365, 12), "week": (52, 12), "month": (1, 1), "quarter": (1, 3), "year": (1, 12),
}
TRUE_TEXT = frozenset({"true", "t", "yes", "y", "1"})
FALSE_TEXT = frozenset({"false", "f", "no", "n", "0", ""})

MOVEMENT_COLUMNS = ["month", "customer_id", "subscription_id", "item_id", "movement_type",
                    "mrr_amount"]
BRIDGE_MONEY = ["starting_mrr", "new_mrr", "reactivation_mrr", "expansion_mrr",
                "contraction_mrr", "churned_mrr", "fx_mrr", "ending_mrr"]
BRIDGE_COUNTS = ["customers_start", "customers_end", "new_customers", "reactivated_customers",
                 "churned_customers"]


class InputError(ValueError):
    """Input that the definitions give no meaning to."""


@dataclass(frozen=True)
class Reference:
    """Result of :func:`compute`.

    customer_mrr: month, customer_id, mrr (one row per customer per month with MRR > 0).
    movements: month, customer_id, subscription_id, item_id, movement_type, mrr_amount.
    bridge: one row per month from the first month with MRR to the as-of month.
    rows_read: data rows read per input file present (base name -> count).
    """

    customer_mrr: pd.DataFrame
    movements: pd.DataFrame
    bridge: pd.DataFrame
    rows_read: dict[str, int]


class Terms(NamedTuple):
    """The terms of a period that determine its net price."""

    plan_id: str
    unit_amount: Decimal
    quantity: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    billing_interval: str
    interval_count: int
    is_trial: bool


class Price(NamedTuple):
    """Monthly price terms: u = unit_amount * factor, q, p (percent), a = discount_amount * factor.
    """

    u: Fraction
    q: Fraction
    p: Fraction
    a: Fraction


@dataclass(frozen=True)
class Period:
    """One subscription row: a line (subscription_id, item_id) with constant terms."""

    subscription_id: str
    item_id: str
    customer_id: str
    product_id: str
    currency: str
    terms: Terms
    valid_from: date
    valid_to: date | None


# --------------------------------------------------------------------------- months and money


def month_index(day: date) -> int:
    """Month of a date as an integer (year * 12 + month - 1)."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    """First day of a month given as an integer."""
    return date(index // 12, index % 12 + 1, 1)


def snapshot_date(index: int, as_of: date) -> date:
    """Last day of the month, or as_of_date in the as-of month."""
    if index == month_index(as_of):
        return as_of
    return month_start(index + 1) - timedelta(days=1)


def round_cents(value: Fraction) -> int:
    """Exact value rounded half away from zero to integer cents."""
    numerator, denominator = value.numerator, value.denominator  # denominator > 0
    cents = (abs(numerator) * 200 + denominator) // (denominator * 2)
    return cents if numerator >= 0 else -cents


def cents_to_decimal(cents: int) -> Decimal:
    """Integer cents as a Decimal with two places."""
    return Decimal(int(cents)).scaleb(-2)


@lru_cache(maxsize=None)
def monthly_price(terms: Terms) -> Price:
    """Price terms per month, with the billing factor applied to u and a."""
    factor = FACTORS[terms.billing_interval] / terms.interval_count
    return Price(
        u=Fraction(terms.unit_amount) * factor,
        q=Fraction(terms.quantity),
        p=Fraction(terms.discount_percent),
        a=Fraction(terms.discount_amount) * factor,
    )


def net(price: Price) -> Fraction:
    """net(u, q, p, a) = u*q - min(u*q, u*q*p/100 + a)."""
    list_mrr = price.u * price.q
    return list_mrr - min(list_mrr, list_mrr * price.p / 100 + price.a)


@lru_cache(maxsize=None)
def net_price(terms: Terms) -> Fraction:
    """Exact monthly net price in the line's currency; 0 for a trial."""
    return Fraction(0) if terms.is_trial else net(monthly_price(terms))


def substitution_nets(price0: Price, price1: Price) -> tuple[Fraction, Fraction, Fraction]:
    """Exact net prices of the sequential-substitution states A, B and 1.

    States 0 = (u0, q0, p0, a0), A = (u1, q0, p0, a0), B = (u1, q1, p0, a0), 1 = (u1, q1, p1, a1).
    """
    state_a = Price(price1.u, price0.q, price0.p, price0.a)
    state_b = Price(price1.u, price1.q, price0.p, price0.a)
    return net(state_a), net(state_b), net(price1)


# --------------------------------------------------------------------------- reading files


def find_input(input_dir: Path, name: str) -> Path | None:
    """The CSV or Parquet file for a base name, None when absent."""
    found = [path for path in (input_dir / f"{name}.csv", input_dir / f"{name}.parquet")
             if path.exists()]
    if len(found) > 1:
        raise InputError(f"{input_dir}: both {name}.csv and {name}.parquet exist; keep one")
    return found[0] if found else None


def read_parquet_as_text(path: Path) -> pd.DataFrame:
    """A Parquet file with every column cast to text as a CSV would hold it ('' for null)."""
    table = pq.read_table(path)
    return pd.DataFrame({
        name: pc.cast(column, pa.string()).fill_null("").to_pandas()
        for name, column in zip(table.column_names, table.columns)
    }, index=pd.RangeIndex(table.num_rows))


def read_table(path: Path) -> pd.DataFrame:
    """All cells as trimmed text ('' when empty), column names trimmed and lower-cased."""
    try:
        if path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            frame = read_parquet_as_text(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, pa.ArrowException, OSError,
            ValueError) as error:
        raise InputError(f"{path.name}: cannot be read: {error}") from error
    frame = frame.apply(lambda column: column.str.strip(WHITESPACE))
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    return frame.astype(object)


def require_columns(frame: pd.DataFrame, required: Iterable[str], file_name: str) -> None:
    """Raise when required columns are missing."""
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise InputError(f"{file_name}: missing required column(s): {', '.join(missing)}")


# --------------------------------------------------------------------------- parsing cells


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a finite number")
    return value


def decimal_places(value: Decimal) -> int:
    """Decimal places of a number as written, trailing zeros not counted."""
    return max(0, -value.normalize().as_tuple().exponent) if value else 0


def exact_number(column: str, bound: Decimal = NUMBER_BOUND) -> Callable[[str], Decimal]:
    """A parser of a column's numbers that the engine holds exactly, else an error naming the
    rule (too_many_decimals, amount_out_of_range)."""
    def parse(text: str) -> Decimal:
        value = parse_decimal(text)
        if abs(value) >= bound:
            raise ValueError(f"amount_out_of_range (at least {bound:,})")
        if decimal_places(value) > DECIMAL_PLACES[column]:
            raise ValueError(f"too_many_decimals (more than {DECIMAL_PLACES[column]})")
        return value
    return parse


def parse_non_negative(column: str) -> Callable[[str], Decimal]:
    parse = exact_number(column)

    def parse_non_negative_number(text: str) -> Decimal:
        value = parse(text)
        if value < 0:
            raise ValueError("negative")
        return value
    return parse_non_negative_number


def parse_percent(text: str) -> Decimal:
    value = parse_non_negative("discount_percent")(text)
    if value > 100:
        raise ValueError("above 100")
    return value


def parse_interval_count(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value() or value < 1:
        raise ValueError("not an integer >= 1")
    return int(value)


def parse_interval(text: str) -> str:
    value = text.lower()
    if value not in FACTORS:
        raise ValueError(f"unknown billing interval (expected one of {', '.join(FACTORS)})")
    return value


def parse_bool(text: str) -> bool:
    value = text.lower()
    if value in TRUE_TEXT:
        return True
    if value in FALSE_TEXT:
        return False
    raise ValueError("not a boolean")


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError("not an ISO date") from None


def parse_id(text: str) -> str:
    if not text:
        raise ValueError("missing id")
    return text


REQUIRED = object()  # default of a column whose cells must not be empty


def parse_column(frame: pd.DataFrame, file_name: str, column: str,
                 parse: Callable[[str], object], default: object = REQUIRED) -> list[object]:
    """Typed values of a column; each distinct text is parsed once.

    An empty cell, or a column that is absent, gives the default; errors name file, data row
    (1-based) and column.
    """
    if column not in frame.columns:
        return [default] * len(frame)
    texts = frame[column]
    parsed: dict[str, object] = {}
    for text in texts.unique():
        try:
            parsed[text] = default if text == "" and default is not REQUIRED else parse(text)
        except ValueError as error:
            row = int(np.flatnonzero(texts.to_numpy() == text)[0]) + 1
            raise InputError(f"{file_name}: data row {row}, column {column}: {error} "
                             f"(value {text!r})") from None
    return [parsed[text] for text in texts]


# --------------------------------------------------------------------------- input tables


def read_plans(frame: pd.DataFrame | None, file_name: str) -> dict[str, str]:
    """plan_id -> product_id ('' when the plan has no product)."""
    if frame is None:
        return {}
    require_columns(frame, ["plan_id"], file_name)
    plan_ids = parse_column(frame, file_name, "plan_id", parse_id)
    products = parse_column(frame, file_name, "product_id", str, "")
    plans: dict[str, str] = {}
    for plan_id, product_id in zip(plan_ids, products):
        if plan_id in plans:
            raise InputError(f"{file_name}: duplicate_plan_id: plan {plan_id!r} is on more than one row")
        plans[plan_id] = product_id
    return plans


class FxRates:
    """Rate of one currency unit in the reporting currency for a month (memoised)."""

    def __init__(self, frame: pd.DataFrame | None, file_name: str, reporting_currency: str,
                 as_of: date) -> None:
        self.reporting_currency = reporting_currency
        self.as_of = as_of
        self.history: dict[str, tuple[list[date], list[Fraction]]] = {}
        self.cache: dict[tuple[str, int], Fraction] = {}
        if frame is not None:
            self.history = self.read(frame, file_name)

    @staticmethod
    def read(frame: pd.DataFrame, file_name: str) -> dict[str, tuple[list[date], list[Fraction]]]:
        """currency -> (sorted rate dates, rates)."""
        require_columns(frame, ["currency", "rate_date", "rate_to_reporting"], file_name)
        by_currency: dict[str, dict[date, Fraction]] = {}
        for number, currency, rate_date, rate in zip(
                itertools.count(1),
                parse_column(frame, file_name, "currency", lambda text: parse_id(text).upper()),
                parse_column(frame, file_name, "rate_date", parse_date),
                parse_column(frame, file_name, "rate_to_reporting",
                             exact_number("rate_to_reporting", RATE_BOUND))):
            rate = Fraction(rate)
            if rate <= 0:
                raise InputError(f"{file_name}: data row {number}: rate_to_reporting must be > 0")
            if rate_date in by_currency.setdefault(currency, {}):
                raise InputError(f"{file_name}: data row {number}: duplicate_fx_rate: a second rate for "
                                 f"{currency} on {rate_date}")
            by_currency[currency][rate_date] = rate
        return {currency: (sorted(rates), [rates[day] for day in sorted(rates)])
                for currency, rates in by_currency.items()}

    def rate(self, currency: str, month: int) -> Fraction:
        """Latest rate dated on or before the month's snapshot date."""
        if currency == self.reporting_currency:
            return Fraction(1)
        key = (currency, month)
        if key not in self.cache:
            self.cache[key] = self.lookup(currency, month)
        return self.cache[key]

    def lookup(self, currency: str, month: int) -> Fraction:
        snapshot = snapshot_date(month, self.as_of)
        dates, rates = self.history.get(currency, ([], []))
        position = bisect_right(dates, snapshot)
        if position == 0:
            raise InputError(f"no fx rate for currency {currency} in month "
                             f"{month_start(month):%Y-%m} (none dated on or before {snapshot})")
        return rates[position - 1]


def read_periods(frame: pd.DataFrame, file_name: str, plans: dict[str, str],
                 reporting_currency: str) -> list[Period]:
    """Typed subscription periods, defaults applied."""
    require_columns(frame, SUBSCRIPTION_REQUIRED, file_name)

    def column(name: str, parse: Callable[[str], object], default: object = REQUIRED) -> list:
        return parse_column(frame, file_name, name, parse, default)

    plan_ids = column("plan_id", parse_id)
    terms = [Terms(*values) for values in zip(
        plan_ids,
        column("unit_amount", parse_non_negative("unit_amount")),
        column("quantity", parse_non_negative("quantity"), Decimal(1)),
        column("discount_percent", parse_percent, Decimal(0)),
        column("discount_amount", parse_non_negative("discount_amount"), Decimal(0)),
        column("billing_interval", parse_interval, "month"),
        column("interval_count", parse_interval_count, 1),
        column("is_trial", parse_bool, False),
    )]
    periods = [Period(*values) for values in zip(
        column("subscription_id", parse_id),
        column("item_id", str, ""),
        column("customer_id", parse_id),
        [plans.get(plan_id, "") for plan_id in plan_ids],
        column("currency", str.upper, reporting_currency),
        terms,
        column("valid_from", parse_date),
        column("valid_to", parse_date, None),
    )]
    for number, period in enumerate(periods, start=1):
        numerator, denominator = FACTOR_PARTS[period.terms.billing_interval]
        scale = numerator * denominator * period.terms.interval_count
        terms = period.terms
        if max(terms.unit_amount * terms.quantity, terms.discount_amount) * scale >= SCALED_AMOUNT_BOUND:
            raise InputError(f"{file_name}: data row {number}: amount_out_of_range: the list price or "
                             f"amount discount scaled by the billing factor reaches {SCALED_AMOUNT_BOUND:,}")
        if period.valid_to is not None and period.valid_to <= period.valid_from:
            raise InputError(f"{file_name}: data row {number}: valid_to {period.valid_to} "
                             f"is not after valid_from {period.valid_from}")
    return periods


def check_lines(periods: list[Period]) -> None:
    """A line keeps its customer and currency, and its periods do not overlap."""
    by_line: dict[tuple[str, str], list[Period]] = {}
    for period in periods:
        by_line.setdefault((period.subscription_id, period.item_id), []).append(period)
    for line, line_periods in by_line.items():
        label = f"line (subscription_id={line[0]!r}, item_id={line[1]!r})"
        if len({period.customer_id for period in line_periods}) > 1:
            raise InputError(f"subscriptions: {label} changes customer_id")
        if len({period.currency for period in line_periods}) > 1:
            raise InputError(f"subscriptions: {label} changes currency")
        ordered = sorted(line_periods, key=lambda period: period.valid_from)
        for before, after in itertools.pairwise(ordered):
            if before.valid_to is None or before.valid_to > after.valid_from:
                raise InputError(f"subscriptions: {label} has overlapping periods starting "
                                 f"{before.valid_from} and {after.valid_from}")


# --------------------------------------------------------------------------- line-months


def months_in_force(period: Period, as_of: date) -> tuple[int, int]:
    """First and last month at whose snapshot the period is in force (none when last < first).

    In force at the end of M when valid_from < instant(M) and (valid_to empty or
    valid_to >= instant(M)), instant(M) = first day of M+1, or as_of + 1 day in the as-of month.
    """
    as_of_month = month_index(as_of)
    if period.valid_from > as_of:
        return as_of_month + 1, as_of_month
    first = month_index(period.valid_from)
    if period.valid_to is None or period.valid_to > as_of:
        return first, as_of_month
    return first, month_index(period.valid_to) - 1


def codes(values: Iterable[object]) -> tuple[np.ndarray, list[object]]:
    """Integer code per value (equal values share a code) and the distinct values."""
    table: dict[object, int] = {}
    array = np.fromiter((table.setdefault(value, len(table)) for value in values), dtype=np.int64)
    return array, list(table)


def line_months(periods: list[Period], as_of: date,
                fx: FxRates) -> tuple[pd.DataFrame, list[Fraction]]:
    """One row per line per month with MRR (period, month, rate code, cents), and the rates.

    Only periods with a positive net price are expanded; the rate of each (currency, month) and
    the cents of each (net price, rate) are computed once.
    """
    nets = [net_price(period.terms) for period in periods]
    kept = [index for index, value in enumerate(nets) if value > 0]
    bounds = np.array([months_in_force(periods[index], as_of) for index in kept],
                      dtype=np.int64).reshape(-1, 2)
    counts = np.maximum(bounds[:, 1] - bounds[:, 0] + 1, 0)
    period_ids = np.repeat(np.array(kept, dtype=np.int64), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    months = np.repeat(bounds[:, 0], counts) + offsets

    net_codes, net_values = codes(nets)
    currency_codes, currencies = codes(period.currency for period in periods)
    pair_key = currency_codes[period_ids] * 1_000_000 + months
    pairs, pair_inverse = np.unique(pair_key, return_inverse=True)
    pair_rates = [fx.rate(currencies[key // 1_000_000], int(key % 1_000_000)) for key in pairs]
    rate_codes_by_pair, rate_values = codes(pair_rates)
    rate_codes = rate_codes_by_pair[pair_inverse]

    value_key = net_codes[period_ids] * len(rate_values) + rate_codes
    values, value_inverse = np.unique(value_key, return_inverse=True)
    value_cents = np.array([round_cents(net_values[key // len(rate_values)]
                                        * rate_values[key % len(rate_values)]) for key in values],
                           dtype=np.int64)
    frame = pd.DataFrame({
        "period": period_ids,
        "month": months,
        "rate": rate_codes,
        "cents": value_cents[value_inverse],
    })
    return frame[frame["cents"] > 0].reset_index(drop=True), rate_values


# --------------------------------------------------------------------------- movements


class LineState(NamedTuple):
    """A line in one month: its period, the codes of its terms and rate, its MRR in cents."""

    period: Period
    terms: int
    rate: int
    cents: int


Movement = tuple[int, str, str, str, str, int]  # month, customer, subscription, item, type, cents


def customer_transitions(customer_mrr: pd.DataFrame, as_of_month: int,
                         window: int | None) -> pd.DataFrame:
    """Customer-months where MRR starts, stops or continues, with the movement kind.

    kind: 'new' / 'reactivation' (C0 = 0, C1 > 0), 'churn' (C0 > 0, C1 = 0), 'continuing'.
    """
    ordered = customer_mrr.sort_values(["customer", "month"])
    previous = ordered.groupby("customer")["month"].shift(1)
    following = ordered.groupby("customer")["month"].shift(-1)
    starts = ordered[previous != ordered["month"] - 1]
    since = (starts["month"] - previous[starts.index])
    returning = since.notna() if window is None else since <= window
    starts = pd.DataFrame({"customer": starts["customer"], "month": starts["month"],
                           "kind": np.where(returning, "reactivation", "new")})
    ends = ordered[(following != ordered["month"] + 1) & (ordered["month"] < as_of_month)]
    churns = pd.DataFrame({"customer": ends["customer"], "month": ends["month"] + 1,
                           "kind": "churn"})
    continuing = ordered[previous == ordered["month"] - 1]
    continuing = pd.DataFrame({"customer": continuing["customer"], "month": continuing["month"],
                               "kind": "continuing"})
    return pd.concat([starts, churns, continuing], ignore_index=True)


def start_and_churn_movements(lines: pd.DataFrame, transitions: pd.DataFrame,
                              periods: list[Period]) -> list[Movement]:
    """new / reactivation rows (+MRR in M) and churn rows (-MRR in M-1), one per line."""
    starts = lines.merge(transitions[transitions["kind"].isin(["new", "reactivation"])],
                         on=["customer", "month"])
    churns = lines.assign(month=lines["month"] + 1).merge(
        transitions[transitions["kind"] == "churn"], on=["customer", "month"])
    rows: list[Movement] = []
    for frame, sign in ((starts, 1), (churns, -1)):
        for period_id, month, kind, cents in zip(frame["period"], frame["month"], frame["kind"],
                                                 frame["cents"]):
            period = periods[period_id]
            rows.append((int(month), period.customer_id, period.subscription_id, period.item_id,
                         kind, sign * int(cents)))
    return rows


def changed_line_pairs(lines: pd.DataFrame, transitions: pd.DataFrame,
                       terms_codes: np.ndarray) -> pd.DataFrame:
    """Lines of continuing customer-months, M-1 (suffix _0) beside M (suffix _1), minus the
    lines present in both months with the same terms and the same rate (they cannot move)."""
    continuing = transitions.loc[transitions["kind"] == "continuing", ["customer", "month"]]
    current = lines.merge(continuing, on=["customer", "month"])
    previous = lines.assign(month=lines["month"] + 1).merge(continuing, on=["customer", "month"])
    pairs = previous.merge(current, on=["customer", "month", "line"], how="outer",
                           suffixes=("_0", "_1"))
    pairs = pairs.fillna(-1).astype(np.int64)
    both = (pairs["period_0"] >= 0) & (pairs["period_1"] >= 0)
    unchanged = (both & (terms_codes[pairs["period_0"]] == terms_codes[pairs["period_1"]])
                 & (pairs["rate_0"] == pairs["rate_1"]))
    return pairs[~unchanged].sort_values(["customer", "month"]).reset_index(drop=True)


def pair_switches(old_only: list[LineState], new_only: list[LineState]
                  ) -> tuple[list[tuple[LineState, LineState]], list[LineState], list[LineState]]:
    """Per product: exactly one line only in M-1 and one only in M, same currency, are one line."""
    products = {state.period.product_id for state in old_only + new_only}
    paired: list[tuple[LineState, LineState]] = []
    for product in products:
        olds = [state for state in old_only if state.period.product_id == product]
        news = [state for state in new_only if state.period.product_id == product]
        if len(olds) == 1 and len(news) == 1 and olds[0].period.currency == news[0].period.currency:
            paired.append((olds[0], news[0]))
    paired_ids = {id(state) for pair in paired for state in pair}
    return (paired,
            [state for state in old_only if id(state) not in paired_ids],
            [state for state in new_only if id(state) not in paired_ids])


def named_effects(plan: int, quantity: int, discount: int, fx_effect: int,
                  plan_changed: bool) -> list[tuple[str, int]]:
    """(movement_type, cents) of the four effects of a line change, zeros dropped."""
    named = [
        (("upgrade" if plan > 0 else "downgrade") if plan_changed
         else ("price_increase" if plan > 0 else "price_decrease"), plan),
        ("seat_expansion" if quantity > 0 else "seat_contraction", quantity),
        ("discount_end" if discount > 0 else "discount_start", discount),
        ("fx", fx_effect),
    ]
    return [(movement_type, cents) for movement_type, cents in named if cents != 0]


class LineChanges:
    """Decomposition of a line present in M-1 and M (or of a switch pair) into movements.

    With m0 = its MRR in M-1, m1 = its MRR in M, and mA, mB, m1r0 the states A, B and 1 valued
    at the old rate r0 and rounded: when the plan changed, upgrade/downgrade = m1r0 - m0 (the
    whole constant-currency change); otherwise price = mA - m0, quantity = mB - mA,
    discount = m1r0 - mB. Either way fx = m1 - m1r0. Net prices of the states are memoised per
    (old terms, new terms) and their cents per (old terms, new terms, old rate), all as codes.
    """

    def __init__(self, terms: list[Terms], rates: list[Fraction]) -> None:
        self.terms = terms
        self.rates = rates
        self.nets: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]] = {}
        self.state_cents: dict[tuple[int, int, int], tuple[int, int, int]] = {}

    def __call__(self, old: LineState, new: LineState) -> list[tuple[str, int]]:
        if old.terms == new.terms:  # same terms: states A, B and 1 are state 0, worth m0
            m_a = m_b = m1_r0 = old.cents
        else:
            m_a, m_b, m1_r0 = self.states(old.terms, new.terms, old.rate)
        fx_effect = new.cents - m1_r0
        if self.terms[old.terms].plan_id != self.terms[new.terms].plan_id:
            # a plan change is one upgrade or downgrade: the new plan's MRR less the old one's
            return named_effects(m1_r0 - old.cents, 0, 0, fx_effect, plan_changed=True)
        return named_effects(m_a - old.cents, m_b - m_a, m1_r0 - m_b, fx_effect,
                             plan_changed=False)

    def states(self, terms0: int, terms1: int, rate0: int) -> tuple[int, int, int]:
        """Cents of states A, B and 1 at the old rate."""
        key = (terms0, terms1, rate0)
        if key not in self.state_cents:
            if (terms0, terms1) not in self.nets:
                self.nets[terms0, terms1] = substitution_nets(
                    monthly_price(self.terms[terms0]), monthly_price(self.terms[terms1]))
            rate = self.rates[rate0]
            self.state_cents[key] = tuple(round_cents(rate * value)
                                          for value in self.nets[terms0, terms1])
        return self.state_cents[key]


def continuing_movements(month: int, old_lines: list[LineState | None],
                         new_lines: list[LineState | None],
                         line_changes: LineChanges) -> list[Movement]:
    """Movements of a continuing customer from its changed lines (old/new aligned by line)."""
    both = [(old, new) for old, new in zip(old_lines, new_lines) if old and new]
    old_only = [old for old, new in zip(old_lines, new_lines) if old and not new]
    new_only = [new for old, new in zip(old_lines, new_lines) if new and not old]
    switches, old_only, new_only = pair_switches(old_only, new_only)
    changes = [(new.period, line_changes(old, new)) for old, new in both + switches]
    changes += [(new.period, [("add_on", new.cents)]) for new in new_only]
    changes += [(old.period, [("add_on_removal", -old.cents)]) for old in old_only]
    return [(month, period.customer_id, period.subscription_id, period.item_id, kind, cents)
            for period, amounts in changes for kind, cents in amounts]


def all_continuing_movements(pairs: pd.DataFrame, periods: list[Period], terms_codes: np.ndarray,
                             line_changes: LineChanges) -> list[Movement]:
    """Continuing-customer movements, one customer-month at a time."""
    def states(suffix: str) -> list[LineState | None]:
        columns = (pairs[f"period{suffix}"], pairs[f"rate{suffix}"], pairs[f"cents{suffix}"])
        return [LineState(periods[period], int(terms_codes[period]), rate, cents)
                if period >= 0 else None for period, rate, cents in zip(*columns)]

    olds, news = states("_0"), states("_1")
    rows: list[Movement] = []
    position = 0
    for (_, month), group in itertools.groupby(zip(pairs["customer"], pairs["month"])):
        size = sum(1 for _ in group)
        rows += continuing_movements(int(month), olds[position:position + size],
                                     news[position:position + size], line_changes)
        position += size
    return rows


# --------------------------------------------------------------------------- results


def money_column(cents: pd.Series) -> pd.Series:
    """Integer cents as a Decimal column (each distinct value converted once)."""
    return cents.map({value: cents_to_decimal(value) for value in cents.unique()}).astype(object)


def month_column(months: pd.Series) -> pd.Series:
    """Month integers as first-of-month dates."""
    return months.map({value: month_start(int(value)) for value in months.unique()}).astype(object)


def customer_mrr_frame(customer_mrr: pd.DataFrame, customer_ids: list[str]) -> pd.DataFrame:
    """Public form of customer MRR: month, customer_id, mrr, sorted."""
    frame = pd.DataFrame({
        "month": customer_mrr["month"],
        "customer_id": [customer_ids[code] for code in customer_mrr["customer"]],
        "cents": customer_mrr["cents"],
    }).sort_values(["month", "customer_id"], ignore_index=True)
    return pd.DataFrame({"month": month_column(frame["month"]),
                         "customer_id": frame["customer_id"].astype(object),
                         "mrr": money_column(frame["cents"])})


def movements_frame(movements: pd.DataFrame) -> pd.DataFrame:
    """Public form of the movements: MOVEMENT_COLUMNS, sorted by key."""
    frame = movements.sort_values(
        ["month", "customer_id", "subscription_id", "item_id", "movement_type"],
        ignore_index=True)
    frame["mrr_amount"] = money_column(frame["cents"])
    frame["month"] = month_column(frame["month"])
    return frame[MOVEMENT_COLUMNS].astype({column: object for column in MOVEMENT_COLUMNS[1:5]})


def bridge_frame(customer_mrr: pd.DataFrame, movements: pd.DataFrame,
                 as_of_month: int) -> pd.DataFrame:
    """One row per month from the first month with MRR to the as-of month."""
    if customer_mrr.empty:
        return pd.DataFrame(columns=["month", *BRIDGE_MONEY, *BRIDGE_COUNTS])
    months = pd.RangeIndex(int(customer_mrr["month"].min()), as_of_month + 1)
    by_month = customer_mrr.groupby("month")["cents"]
    ending = by_month.sum().reindex(months, fill_value=0)
    customers_end = by_month.size().reindex(months, fill_value=0)
    category = movements["movement_type"].map(CATEGORY)
    sums = movements.groupby([movements["month"], category])["cents"].sum().unstack(fill_value=0)
    counts = (movements.drop_duplicates(["month", "customer_id", "movement_type"])
              .groupby(["month", "movement_type"]).size().unstack(fill_value=0))

    def total(table: pd.DataFrame, column: str, sign: int = 1) -> pd.Series:
        values = table[column] if column in table.columns else pd.Series(dtype=np.int64)
        return (sign * values).reindex(months, fill_value=0).astype(np.int64)

    cents = pd.DataFrame({
        "starting_mrr": ending.shift(1, fill_value=0),
        "new_mrr": total(sums, "new"),
        "reactivation_mrr": total(sums, "reactivation"),
        "expansion_mrr": total(sums, "expansion"),
        "contraction_mrr": total(sums, "contraction", -1),
        "churned_mrr": total(sums, "churn", -1),
        "fx_mrr": total(sums, "fx"),
        "ending_mrr": ending,
    }, index=months)
    bridge = pd.DataFrame({"month": [month_start(month) for month in months]}, dtype=object)
    for column in BRIDGE_MONEY:
        bridge[column] = money_column(cents[column].reset_index(drop=True))
    bridge["customers_start"] = customers_end.shift(1, fill_value=0).to_numpy(dtype=np.int64)
    bridge["customers_end"] = customers_end.to_numpy(dtype=np.int64)
    bridge["new_customers"] = total(counts, "new").to_numpy()
    bridge["reactivated_customers"] = total(counts, "reactivation").to_numpy()
    bridge["churned_customers"] = total(counts, "churn").to_numpy()
    return bridge


# --------------------------------------------------------------------------- entry point


def read_inputs(input_dir: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Tables of the input files present (as text) and their file names."""
    paths = {name: find_input(input_dir, name) for name in INPUT_NAMES}
    if paths["subscriptions"] is None:
        raise InputError(f"{input_dir}: subscriptions.csv or subscriptions.parquet is required")
    present = {name: path for name, path in paths.items() if path is not None}
    tables = {name: read_table(path) for name, path in present.items()}
    if "customers" in tables:
        require_columns(tables["customers"], ["customer_id"], present["customers"].name)
        repeated = tables["customers"]["customer_id"].duplicated()
        if repeated.any():
            raise InputError(f"{present['customers'].name}: duplicate_customer_id: customer "
                             f"{tables['customers']['customer_id'][repeated].iloc[0]!r} is on more than one row")
    return tables, {name: path.name for name, path in present.items()}


def compute(input_dir: Path, as_of_date: date, reporting_currency: str = "USD",
            reactivation_window_months: int | None = None) -> Reference:
    """Recompute customer MRR, movements and the monthly bridge from the input files."""
    reporting_currency = reporting_currency.strip(WHITESPACE).upper()
    tables, file_names = read_inputs(Path(input_dir))
    plans = read_plans(tables.get("plans"), file_names.get("plans", ""))
    fx = FxRates(tables.get("fx_rates"), file_names.get("fx_rates", ""), reporting_currency,
                 as_of_date)
    periods = read_periods(tables["subscriptions"], file_names["subscriptions"], plans,
                           reporting_currency)
    check_lines(periods)

    lines, rates = line_months(periods, as_of_date, fx)
    customer_array, customer_ids = codes(period.customer_id for period in periods)
    line_array, _ = codes((period.subscription_id, period.item_id) for period in periods)
    terms_array, distinct_terms = codes(period.terms for period in periods)
    lines["customer"] = customer_array[lines["period"]]
    lines["line"] = line_array[lines["period"]]

    as_of_month = month_index(as_of_date)
    customer_mrr = lines.groupby(["customer", "month"], as_index=False)["cents"].sum()
    transitions = customer_transitions(customer_mrr, as_of_month, reactivation_window_months)
    rows = start_and_churn_movements(lines, transitions, periods)
    rows += all_continuing_movements(changed_line_pairs(lines, transitions, terms_array),
                                     periods, terms_array, LineChanges(distinct_terms, rates))
    movements = pd.DataFrame(rows, columns=["month", "customer_id", "subscription_id", "item_id",
                                            "movement_type", "cents"]
                             ).astype({"month": np.int64, "cents": np.int64})
    return Reference(
        customer_mrr=customer_mrr_frame(customer_mrr, customer_ids),
        movements=movements_frame(movements),
        bridge=bridge_frame(customer_mrr, movements, as_of_month),
        rows_read={name: len(table) for name, table in tables.items()},
    )
