"""Synthetic subscription data in the engine's input contract, deterministic for a seed.

The generator simulates a SaaS business over a window of whole months:

* customers sign up on any day, in a segment (smb / mid / enterprise) and a country whose
  currency (USD, EUR, GBP, JPY) they are billed in;
* each customer has one or more *episodes*: a subscription that may churn and, for some
  churned customers, a later reactivation with a new subscription;
* each subscription has a base line (item ``base``, product ``platform``) and sometimes add-on
  lines (items ``addon-1`` ...) for the add-on products;
* every line goes through random change events: tier upgrades and downgrades, billing-interval
  switches, seat changes, price changes on the same plan, discounts (percent or amount) that
  start and end, and the end of a trial.  Some plan changes are done as *cancel-and-recreate*:
  the subscription ends on day D and a new subscription id starts on day D with all its lines.

Everything is vectorised: the per-line state machine runs one numpy step per event slot (a few
slots), never one Python step per customer.  Files are written with DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

DAYS_PER_MONTH = 365.25 / 12
NO_DATE = np.int32(2**30)  # sentinel for "no event" in event-date arrays

CURRENCIES = ["USD", "EUR", "GBP", "JPY"]  # USD is the reporting currency
CURRENCY_STEP = np.array([1, 1, 1, 100])  # smallest price step in cents (whole yen for JPY)
LIST_PRICE_FACTOR = np.array([1.0, 0.92, 0.79, 150.0])  # USD list price -> local list price
FX_START = np.array([1.08, 1.27, 0.0067])  # EUR, GBP, JPY in USD at the first month
FX_MONTHLY_SIGMA = 0.015

COUNTRIES = ["US", "CA", "AU", "BR", "DE", "FR", "NL", "ES", "GB", "JP"]
COUNTRY_CURRENCY = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 3])
COUNTRY_P = [0.40, 0.06, 0.04, 0.03, 0.12, 0.08, 0.05, 0.04, 0.12, 0.06]

SEGMENTS = ["smb", "mid", "enterprise"]
SEGMENT_P = [0.70, 0.22, 0.08]
CHURN_PER_MONTH = np.array([0.035, 0.018, 0.008])
TRIAL_P = np.array([0.40, 0.25, 0.10])
TRIAL_DAYS = np.array([7, 14, 30])
TRIAL_CONVERSION_P = 0.7
REACTIVATION_P = 0.3
MAX_EPISODES = 3
SEATS_LOG_MEAN = np.array([0.8, 2.5, 4.2])
SEATS_LOG_SIGMA = np.array([0.8, 0.7, 0.8])
BASE_TIER_P = np.array(
    [[0.55, 0.35, 0.10, 0.00], [0.15, 0.45, 0.35, 0.05], [0.00, 0.15, 0.45, 0.40]]
)
ADDON_COUNT_P = np.array(
    [[0.65, 0.25, 0.08, 0.02], [0.45, 0.33, 0.17, 0.05], [0.30, 0.35, 0.25, 0.10]]
)
INITIAL_DISCOUNT_P = 0.15
PERCENT_CHOICES = np.array([500, 1000, 1250, 1500, 2000, 2500, 3000, 5000, 10000])  # 1/100 %
PERCENT_P = [0.05, 0.25, 0.05, 0.15, 0.20, 0.10, 0.08, 0.10, 0.02]
PERCENT_DISCOUNT_SHARE = 0.7

# Products: (product_id, per-unit pricing, [(tier, monthly USD price per unit), ...]).
# Product 0 is the base plan, the others are add-ons.
PRODUCTS = [
    ("platform", True, [("starter", 15), ("growth", 39), ("business", 79), ("enterprise", 149)]),
    ("analytics", True, [("standard", 8), ("pro", 19)]),
    ("storage", True, [("100gb", 10), ("1tb", 45)]),
    ("support", False, [("priority", 99), ("premium", 299)]),
]
ANALYTICS, STORAGE = 1, 2  # add-on products priced per seat and per storage unit
ADDON_UPPER_TIER_P = 0.3
STORAGE_UNITS_MAX = 10
# Billing options: (billing_interval, interval_count, probability at subscription start).
INTERVALS = [
    ("month", 1, 0.50), ("month", 3, 0.03), ("quarter", 1, 0.08), ("quarter", 2, 0.01),
    ("year", 1, 0.22), ("year", 2, 0.02), ("year", 3, 0.01), ("week", 1, 0.06),
    ("week", 2, 0.03), ("day", 1, 0.03), ("day", 3, 0.01),
]
MONTH1, YEAR1 = 0, 4
MONTHS_PER_INTERVAL = {"day": 12 / 365, "week": 12 / 52, "month": 1, "quarter": 3, "year": 10}
INTERVAL_ADJECTIVE = {
    "day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "annual"
}

# Event kinds.  SPLIT moves an add-on to the subscription recreated by its base line.
TIER_UP, TIER_DOWN, INTERVAL, QTY_UP, QTY_DOWN, PRICE_UP, PRICE_DOWN, DISCOUNT = range(8)
TRIAL_END, SPLIT = 8, 9
BASE_EVENT_P = [0.16, 0.08, 0.05, 0.25, 0.12, 0.10, 0.04, 0.20]
ADDON_EVENT_P = [0.15, 0.10, 0.00, 0.25, 0.15, 0.10, 0.05, 0.20]
CHUNK_CUSTOMERS = 250_000  # customers simulated at once; bounds memory, fixed for determinism
BASE_EVENTS_PER_MONTH = 0.10
ADDON_EVENTS_PER_MONTH = 0.06
BASE_MAX_EVENTS = 8
ADDON_MAX_EVENTS = 5
RECREATE_P = 0.35  # share of base tier changes done as cancel-and-recreate
ADDON_AT_START_P = 0.4
ADDON_REMOVAL_P = 0.3


@dataclass
class Catalog:
    """Plans and their list prices, indexed by (product, tier, interval option[, currency])."""

    plans: pd.DataFrame
    plan_no: np.ndarray  # (product, tier, option) -> row number in plans, -1 when absent
    price: np.ndarray  # (product, tier, option, currency) -> list price in cents
    n_tiers: np.ndarray  # product -> number of tiers
    per_unit: np.ndarray  # product -> priced per seat / unit


@dataclass
class Episodes:
    """One subscription lifetime of a customer (a reactivation is a new episode)."""

    customer: np.ndarray
    start: np.ndarray
    end: np.ndarray  # exclusive; the horizon for episodes still running
    trial: np.ndarray  # the episode starts with a trial
    trial_end: np.ndarray  # day the trial converts to paid; NO_DATE when it does not


@dataclass
class Lines:
    """Initial terms and change events of subscription lines (events sorted, NO_DATE unused)."""

    episode: np.ndarray
    item: np.ndarray
    product: np.ndarray
    currency: np.ndarray
    start: np.ndarray
    end: np.ndarray
    tier: np.ndarray
    option: np.ndarray
    qty: np.ndarray
    price: np.ndarray
    pct: np.ndarray  # discount percent in 1/100 %
    amount: np.ndarray  # discount amount in cents
    trial: np.ndarray
    sub_seq: np.ndarray  # number of recreations of the subscription before the line starts
    ev_date: np.ndarray
    ev_kind: np.ndarray
    ev_u: np.ndarray
    ev_w: np.ndarray
    ev_option: np.ndarray  # new interval option of SPLIT events
    ev_recreate: np.ndarray  # the event recreates the subscription


@dataclass
class States:
    """Terms of each line after 0..W events: arrays of shape (lines, W + 1)."""

    tier: np.ndarray
    option: np.ndarray
    qty: np.ndarray
    price: np.ndarray
    pct: np.ndarray
    amount: np.ndarray
    trial: np.ndarray
    sub_seq: np.ndarray


def generate(
    out_dir: Path,
    customers: int,
    months: int,
    seed: int,
    start_month: str = "2022-01-01",
    file_format: str = "parquet",
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write subscriptions, customers, plans and fx_rates files; return their row counts."""
    if customers < 1 or months < 1:
        raise ValueError("customers and months must be at least 1")
    if file_format not in ("parquet", "csv"):
        raise ValueError(f"file_format must be 'parquet' or 'csv', not {file_format!r}")
    start = date.fromisoformat(start_month)
    if start.day != 1:
        raise ValueError(f"start_month must be the first day of a month, not {start_month}")
    report = progress or (lambda _message: None)
    rng = np.random.Generator(np.random.PCG64(seed))
    n_days = (_add_months(start, months) - start).days

    catalog = _catalog()
    segment = rng.choice(len(SEGMENTS), size=customers, p=SEGMENT_P).astype(np.int8)
    country = rng.choice(len(COUNTRIES), size=customers, p=COUNTRY_P).astype(np.int8)
    currency = COUNTRY_CURRENCY[country].astype(np.int8)
    parts, subscriptions = [], 0
    for first in range(0, customers, CHUNK_CUSTOMERS):
        chunk = slice(first, min(first + CHUNK_CUSTOMERS, customers))
        part, count = _simulate_customers(rng, segment[chunk], currency[chunk], n_days, catalog)
        part["customer_no"] += first
        part["sub_no"] += subscriptions
        parts.append(part)
        subscriptions += count
        report(f"simulated {chunk.stop:,} of {customers:,} customers")
    periods = pa.table({name: np.concatenate([p[name] for p in parts]) for name in parts[0]})
    del parts
    report(f"{subscriptions:,} subscriptions, {periods.num_rows:,} subscription periods")

    tables = {
        "subscriptions": periods,
        "customers": pa.table(
            {"customer_no": np.arange(customers), "segment": segment, "country": country}
        ),
        "plans": pa.Table.from_pandas(catalog.plans, preserve_index=False),
        "fx_rates": _fx_rates(rng, start, months),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_all(out_dir, file_format, start, n_days, tables)
    counts = {name: table.num_rows for name, table in tables.items()}
    report(f"wrote {', '.join(f'{name} ({rows:,})' for name, rows in counts.items())}")
    return counts


def _simulate_customers(
    rng: np.random.Generator, segment: np.ndarray, currency: np.ndarray, n_days: int,
    catalog: Catalog,
) -> tuple[dict[str, np.ndarray], int]:
    """Periods of a block of customers (numbered from 0), sorted by line and start; and the
    number of subscriptions (numbered from 1) in the block."""
    episodes = _episodes(rng, segment, n_days)
    base = _base_lines(rng, episodes, segment, currency, catalog)
    base_states = _simulate(base, catalog)
    addons = _addon_lines(rng, episodes, segment, currency, base, base_states, catalog)
    addon_states = _simulate(addons, catalog)
    per_episode = base_states.sub_seq[:, -1].astype(np.int64) + 1
    sub_offset = np.cumsum(per_episode) - per_episode
    parts = [
        _periods(lines, states, episodes, sub_offset, catalog)
        for lines, states in ((base, base_states), (addons, addon_states))
    ]
    periods = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    order = np.lexsort((periods["valid_from"], periods["item_no"], periods["sub_no"]))
    return {name: column[order] for name, column in periods.items()}, int(per_episode.sum())


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _round_step(cents: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Round to a multiple of the currency's price step, never below one step."""
    return np.maximum(step, np.rint(cents / step) * step).astype(np.int64)


def _pick(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row of a (rows, choices) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    picked = (rng.random(len(probabilities))[:, None] >= cumulative).sum(axis=1)
    return np.minimum(picked, probabilities.shape[1] - 1)


def _catalog() -> Catalog:
    max_tiers = max(len(tiers) for _, _, tiers in PRODUCTS)
    plan_no = np.full((len(PRODUCTS), max_tiers, len(INTERVALS)), -1, dtype=np.int16)
    price = np.zeros((len(PRODUCTS), max_tiers, len(INTERVALS), len(CURRENCIES)), dtype=np.int64)
    rows = []
    for p, (product, _, tiers) in enumerate(PRODUCTS):
        for t, (tier, monthly_usd) in enumerate(tiers):
            for o, (interval, count, _) in enumerate(INTERVALS):
                usd_cents = round(monthly_usd * 100 * MONTHS_PER_INTERVAL[interval] * count)
                plan_no[p, t, o] = len(rows)
                price[p, t, o] = _round_step(usd_cents * LIST_PRICE_FACTOR, CURRENCY_STEP)
                billing = (
                    INTERVAL_ADJECTIVE[interval] if count == 1 else f"every {count} {interval}s"
                )
                rows.append(
                    {
                        "plan_id": f"{product}_{tier}_{interval}_{count}",
                        "plan_name": f"{product.title()} {tier.title()} ({billing})",
                        "product_id": product,
                        "tier": tier,
                        "billing_interval": interval,
                        "interval_count": count,
                        "list_price_usd_cents": usd_cents,
                    }
                )
    return Catalog(
        plans=pd.DataFrame(rows),
        plan_no=plan_no,
        price=price,
        n_tiers=np.array([len(tiers) for _, _, tiers in PRODUCTS]),
        per_unit=np.array([per_unit for _, per_unit, _ in PRODUCTS]),
    )


def _episodes(rng: np.random.Generator, segment: np.ndarray, n_days: int) -> Episodes:
    """Signup, trial, churn and reactivation of every customer, sorted by customer then time."""
    customer = np.arange(len(segment), dtype=np.int32)
    start = rng.integers(0, n_days, size=len(segment)).astype(np.int64)
    parts: list[tuple[np.ndarray, ...]] = []
    for number in range(MAX_EPISODES):
        n, seg = len(customer), segment[customer]
        life = np.ceil(rng.exponential(DAYS_PER_MONTH / CHURN_PER_MONTH[seg])).astype(np.int64)
        trial_days = rng.choice(TRIAL_DAYS, size=n)
        trial = (rng.random(n) < TRIAL_P[seg]) & (number == 0)
        converted = rng.random(n) < TRIAL_CONVERSION_P
        end = np.where(trial & ~converted, start + trial_days, start + np.maximum(life, 1))
        churned = end < n_days
        end = np.minimum(end, n_days)
        trial_end = np.where(trial & (start + trial_days < end), start + trial_days, NO_DATE)
        parts.append((customer, start, end, trial, trial_end))
        gap = 30 + np.floor(rng.exponential(150, size=n)).astype(np.int64)
        back = churned & (rng.random(n) < REACTIVATION_P) & (end + gap < n_days)
        customer, start = customer[back], (end + gap)[back]
    cust, first, last, trial, trial_end = (np.concatenate(column) for column in zip(*parts))
    order = np.lexsort((first, cust))
    return Episodes(
        customer=cust[order],
        start=first[order].astype(np.int32),
        end=last[order].astype(np.int32),
        trial=trial[order],
        trial_end=trial_end[order].astype(np.int32),
    )


def _draw_events(
    rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, per_month: float, width: int,
    kind_p: list[float],
) -> dict[str, np.ndarray]:
    """Random change events on days in [lo, hi), at most `width` per line."""
    n = len(lo)
    span = np.maximum(hi.astype(np.int64) - lo, 0)
    count = np.minimum(rng.poisson(per_month * span / DAYS_PER_MONTH), width)
    offset = (rng.random((n, width)) * span[:, None]).astype(np.int64)
    used = np.arange(width) < count[:, None]
    return {
        "ev_date": np.where(used, lo[:, None] + offset, NO_DATE).astype(np.int32),
        "ev_kind": rng.choice(len(kind_p), size=(n, width), p=kind_p).astype(np.int8),
        "ev_u": rng.random((n, width), dtype=np.float32),
        "ev_w": rng.random((n, width), dtype=np.float32),
        "ev_option": np.zeros((n, width), dtype=np.int8),
        "ev_recreate": np.zeros((n, width), dtype=bool),
    }


def _fixed_events(date_: np.ndarray, kind: int, option: np.ndarray | None = None
                  ) -> dict[str, np.ndarray]:
    """Events of one kind on given days (NO_DATE for none), shaped (lines, width)."""
    shape = date_.shape
    return {
        "ev_date": date_.astype(np.int32),
        "ev_kind": np.full(shape, kind, dtype=np.int8),
        "ev_u": np.zeros(shape, dtype=np.float32),
        "ev_w": np.zeros(shape, dtype=np.float32),
        "ev_option": np.zeros(shape, dtype=np.int8) if option is None else option,
        "ev_recreate": np.zeros(shape, dtype=bool),
    }


def _combine_events(*groups: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Merge event groups, sort by day, keep one event per day (trial ends and splits win)."""
    events = {k: np.concatenate([g[k] for g in groups], axis=1) for k in groups[0]}
    fixed = np.isin(events["ev_kind"], (TRIAL_END, SPLIT))
    order = np.argsort(events["ev_date"].astype(np.int64) * 2 + ~fixed, axis=1, kind="stable")
    day = np.take_along_axis(events["ev_date"], order, axis=1)
    duplicate = np.zeros(day.shape, dtype=bool)
    duplicate[:, 1:] = (day[:, 1:] == day[:, :-1]) & (day[:, 1:] != NO_DATE)
    day[duplicate] = NO_DATE
    width = int((day != NO_DATE).sum(axis=1).max(initial=0))
    compact = np.argsort(day, axis=1, kind="stable")[:, :width]
    order = np.take_along_axis(order, compact, axis=1)
    combined = {k: np.take_along_axis(v, order, axis=1) for k, v in events.items()}
    combined["ev_date"] = np.take_along_axis(day, compact, axis=1)
    return combined


def _new_discount(
    u: np.ndarray, w: np.ndarray, price: np.ndarray, qty: np.ndarray, step: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(percent, amount) of a new discount: a percent one for a share of lines, else an amount."""
    pct_choice = PERCENT_CHOICES[
        np.minimum(np.searchsorted(np.cumsum(PERCENT_P), u), len(PERCENT_P) - 1)
    ]
    amount_choice = _round_step(price * qty * (0.05 + 0.25 * u), step)
    use_pct = w < PERCENT_DISCOUNT_SHARE
    return np.where(use_pct, pct_choice, 0).astype(np.int16), np.where(use_pct, 0, amount_choice)


def _initial_discount(
    rng: np.random.Generator, eligible: np.ndarray, price: np.ndarray, qty: np.ndarray,
    currency: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Discounts already running when a line starts, for a share of the eligible lines."""
    n = len(eligible)
    has = eligible & (rng.random(n) < INITIAL_DISCOUNT_P)
    u, w = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
    pct, amount = _new_discount(u, w, price, qty, CURRENCY_STEP[currency])
    return np.where(has, pct, 0).astype(np.int16), np.where(has, amount, 0)


def _seats(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    seats = rng.lognormal(SEATS_LOG_MEAN[segment], SEATS_LOG_SIGMA[segment])
    return np.maximum(1, np.rint(seats)).astype(np.int32)


def _base_lines(
    rng: np.random.Generator, episodes: Episodes, segment: np.ndarray, currency: np.ndarray,
    catalog: Catalog,
) -> Lines:
    """The base (platform) line of each episode, with its trial end and change events."""
    n = len(episodes.start)
    seg, cur = segment[episodes.customer], currency[episodes.customer]
    product = np.zeros(n, dtype=np.int8)
    tier = _pick(rng, BASE_TIER_P[seg]).astype(np.int8)
    option = rng.choice(len(INTERVALS), size=n, p=[p for _, _, p in INTERVALS]).astype(np.int8)
    qty = _seats(rng, seg)
    price = catalog.price[product, tier, option, cur]
    pct, amount = _initial_discount(rng, ~episodes.trial, price, qty, cur)
    converted = episodes.trial_end != NO_DATE
    lo = np.where(converted, episodes.trial_end, episodes.start) + 1
    own = _draw_events(rng, lo, episodes.end, BASE_EVENTS_PER_MONTH, BASE_MAX_EVENTS, BASE_EVENT_P)
    own["ev_date"][episodes.trial & ~converted] = NO_DATE  # a trial that never converts
    retier = np.isin(own["ev_kind"], (TIER_UP, TIER_DOWN))
    own["ev_recreate"] = (retier & (rng.random(retier.shape) < RECREATE_P)) | (
        own["ev_kind"] == INTERVAL
    )
    events = _combine_events(_fixed_events(episodes.trial_end[:, None], TRIAL_END), own)
    return Lines(
        episode=np.arange(n), item=np.zeros(n, dtype=np.int8), product=product, currency=cur,
        start=episodes.start, end=episodes.end, tier=tier, option=option, qty=qty, price=price,
        pct=pct, amount=amount, trial=episodes.trial, sub_seq=np.zeros(n, dtype=np.int16),
        **events,
    )


def _addon_lines(
    rng: np.random.Generator, episodes: Episodes, segment: np.ndarray, currency: np.ndarray,
    base: Lines, base_states: States, catalog: Catalog,
) -> Lines:
    """Add-on lines of paid episodes; they follow their subscription when it is recreated."""
    n_products = len(PRODUCTS) - 1
    seg = segment[episodes.customer]
    count = _pick(rng, ADDON_COUNT_P[seg])
    paid_from = np.where(episodes.trial, episodes.trial_end, episodes.start)
    count[paid_from >= episodes.end] = 0
    products = np.argsort(rng.random((len(count), n_products)), axis=1) + 1
    chosen = np.arange(n_products) < count[:, None]
    episode = np.repeat(np.arange(len(count)), count)
    product = products[chosen].astype(np.int8)
    item = (np.nonzero(chosen)[1] + 1).astype(np.int8)
    n = len(episode)

    lo, hi = paid_from[episode].astype(np.int64), episodes.end[episode].astype(np.int64)
    later = (rng.random(n) * (hi - lo)).astype(np.int64)
    start = np.where(rng.random(n) < ADDON_AT_START_P, lo, lo + later)
    removal = start + 1 + (rng.random(n) * (hi - start - 1)).astype(np.int64)
    end = np.where(rng.random(n) < ADDON_REMOVAL_P, removal, hi)

    base_days = base.ev_date[episode]
    done = (base_days <= start[:, None]).sum(axis=1)
    option = base_states.option[episode, done]
    sub_seq = base_states.sub_seq[episode, done]
    cur = currency[episodes.customer[episode]]
    tier = (rng.random(n) < ADDON_UPPER_TIER_P).astype(np.int8)
    seats = base_states.qty[episode, done]
    units = rng.integers(1, STORAGE_UNITS_MAX + 1, n)
    qty = np.select([product == ANALYTICS, product == STORAGE], [seats, units], 1).astype(np.int32)
    price = catalog.price[product, tier, option, cur]
    pct, amount = _initial_discount(rng, np.ones(n, dtype=bool), price, qty, cur)

    own = _draw_events(rng, start + 1, end, ADDON_EVENTS_PER_MONTH, ADDON_MAX_EVENTS, ADDON_EVENT_P)
    own["ev_date"][
        np.isin(own["ev_kind"], (QTY_UP, QTY_DOWN)) & ~catalog.per_unit[product][:, None]
    ] = NO_DATE
    inside = base.ev_recreate[episode] & (base_days > start[:, None]) & (base_days < end[:, None])
    splits = _fixed_events(
        np.where(inside, base_days, NO_DATE), SPLIT, base_states.option[episode, 1:]
    )
    events = _combine_events(own, splits)
    return Lines(
        episode=episode, item=item, product=product, currency=cur, start=start.astype(np.int32),
        end=end.astype(np.int32), tier=tier, option=option, qty=qty, price=price, pct=pct,
        amount=amount, trial=np.zeros(n, dtype=bool), sub_seq=sub_seq, **events,
    )


def _simulate(lines: Lines, catalog: Catalog) -> States:
    """Apply the events of every line in order; each event changes at least one term."""
    n, width = lines.ev_date.shape
    state = {
        "tier": lines.tier, "option": lines.option, "qty": lines.qty, "price": lines.price,
        "pct": lines.pct, "amount": lines.amount, "trial": lines.trial, "sub_seq": lines.sub_seq,
    }
    history = {k: np.empty((n, width + 1), dtype=v.dtype) for k, v in state.items()}
    for k, v in state.items():
        history[k][:, 0] = v
    step = CURRENCY_STEP[lines.currency]
    top = catalog.n_tiers[lines.product] - 1
    for slot in range(width):
        happens = lines.ev_date[:, slot] != NO_DATE
        kind = np.where(happens, lines.ev_kind[:, slot], -1)
        u, w = lines.ev_u[:, slot], lines.ev_w[:, slot]
        state = _apply_event(state, kind, u, w, lines, slot, step, top, catalog)
        for k, v in state.items():
            history[k][:, slot + 1] = v
    return States(**history)


def _apply_event(
    s: dict[str, np.ndarray], kind: np.ndarray, u: np.ndarray, w: np.ndarray, lines: Lines,
    slot: int, step: np.ndarray, top: np.ndarray, catalog: Catalog,
) -> dict[str, np.ndarray]:
    """New terms after one event per line (kind -1: no event)."""
    retier = (kind == TIER_UP) | (kind == TIER_DOWN)
    up = retier & (((kind == TIER_UP) & (s["tier"] < top)) | (s["tier"] == 0))
    tier = s["tier"] + up.astype(np.int8) - (retier & ~up).astype(np.int8)
    option = np.where(kind == INTERVAL, np.where(s["option"] == YEAR1, MONTH1, YEAR1), s["option"])
    option = np.where(kind == SPLIT, lines.ev_option[:, slot], option).astype(np.int8)
    replanned = retier | (kind == INTERVAL) | (kind == SPLIT)
    price = np.where(
        replanned, catalog.price[lines.product, tier, option, lines.currency], s["price"]
    )
    price = _price_change(price, kind, u, step)
    qty = _seat_change(s["qty"], kind, u)
    recreated = (kind == SPLIT) | ((kind >= 0) & lines.ev_recreate[:, slot])
    pct, amount = _discount_change(s, kind, u, w, price, qty, step, recreated)
    return {
        "tier": tier, "option": option, "qty": qty, "price": price, "pct": pct, "amount": amount,
        "trial": s["trial"] & (kind != TRIAL_END),
        "sub_seq": s["sub_seq"] + recreated.astype(np.int16),
    }


def _price_change(price: np.ndarray, kind: np.ndarray, u: np.ndarray, step: np.ndarray
                  ) -> np.ndarray:
    """Price increases (5-20 %) and decreases on the same plan; a decrease at the floor rises."""
    down = (kind == PRICE_DOWN) & (price > step)
    up = ((kind == PRICE_UP) | (kind == PRICE_DOWN)) & ~down
    raised = np.maximum(price + step, _round_step(price * (1.05 + 0.15 * u), step))
    lowered = np.clip(_round_step(price * (0.95 - 0.15 * u), step), step, price - step)
    return np.where(up, raised, np.where(down, lowered, price))


def _seat_change(qty: np.ndarray, kind: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Seat expansions (10-60 %) and contractions; a contraction at one seat expands."""
    down = (kind == QTY_DOWN) & (qty > 1)
    up = ((kind == QTY_UP) | (kind == QTY_DOWN)) & ~down
    grown = np.maximum(qty + 1, np.rint(qty * (1.1 + 0.5 * u)))
    shrunk = np.clip(np.rint(qty * (0.6 + 0.3 * u)), 1, qty - 1)
    return np.where(up, grown, np.where(down, shrunk, qty)).astype(np.int32)


def _discount_change(
    s: dict[str, np.ndarray], kind: np.ndarray, u: np.ndarray, w: np.ndarray, price: np.ndarray,
    qty: np.ndarray, step: np.ndarray, recreated: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """DISCOUNT toggles a discount on or off; a recreated subscription drops its discount."""
    has = (s["pct"] > 0) | (s["amount"] > 0)
    ends = recreated | ((kind == DISCOUNT) & has)
    starts = (kind == DISCOUNT) & ~has
    new_pct, new_amount = _new_discount(u, w, price, qty, step)
    pct = np.where(ends, 0, np.where(starts, new_pct, s["pct"])).astype(np.int16)
    amount = np.where(ends, 0, np.where(starts, new_amount, s["amount"]))
    return pct, amount


def _periods(
    lines: Lines, states: States, episodes: Episodes, sub_offset: np.ndarray, catalog: Catalog
) -> dict[str, np.ndarray]:
    """Flatten lines x event slots into one row per period with unchanged terms."""
    happened = lines.ev_date != NO_DATE
    keep = np.concatenate([np.ones((len(happened), 1), dtype=bool), happened], axis=1)
    valid_from = np.concatenate([lines.start[:, None], lines.ev_date], axis=1)
    valid_to = np.concatenate(
        [np.where(happened, lines.ev_date, lines.end[:, None]), lines.end[:, None]], axis=1
    )
    line = np.nonzero(keep)[0]
    plan = catalog.plan_no[lines.product[:, None], states.tier, states.option]
    return {
        "sub_no": sub_offset[lines.episode[line]] + states.sub_seq[keep] + 1,
        "item_no": lines.item[line],
        "customer_no": episodes.customer[lines.episode[line]],
        "plan_no": plan[keep],
        "quantity": states.qty[keep],
        "unit_cents": states.price[keep],
        "currency_no": lines.currency[line],
        "pct_hundredths": states.pct[keep],
        "amount_cents": states.amount[keep],
        "is_trial": states.trial[keep],
        "valid_from": valid_from[keep],
        "valid_to": valid_to[keep],
    }


def _fx_rates(rng: np.random.Generator, start: date, months: int) -> pa.Table:
    """One rate per non-reporting currency per month, on a random day (the 1st in month one)."""
    month_starts = [_add_months(start, m) for m in range(months)]
    lengths = np.array([(_add_months(m, 1) - m).days for m in month_starts])
    n_cur = len(FX_START)
    day = (rng.random((months, n_cur)) * lengths[:, None]).astype(np.int64)
    day[0] = 0
    steps = rng.normal(0, FX_MONTHLY_SIGMA, size=(months, n_cur))
    steps[0] = 0
    rate = FX_START * np.exp(np.cumsum(steps, axis=0))
    first_day = np.array(month_starts, dtype="datetime64[D]")[:, None]
    return pa.table(
        {
            "currency_no": np.repeat(np.arange(1, n_cur + 1, dtype=np.int8), months),
            "rate_date": (first_day + day).ravel(order="F"),
            "rate_micro": np.rint(rate * 1e6).astype(np.int64).ravel(order="F"),
        }
    )


def _sql_list(values: Iterable[object]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _padded_id(prefix: str, number_sql: str, table: pa.Table) -> str:
    """SQL for prefix + number zero-padded to 8 digits, or wider when numbers need it."""
    digits = max(8, len(str(table.num_rows + 1)))
    return f"'{prefix}' || lpad(({number_sql})::VARCHAR, {digits}, '0')"


def _write_all(
    out_dir: Path, file_format: str, start: date, n_days: int, tables: dict[str, pa.Table]
) -> None:
    """Format ids, amounts and dates in DuckDB and write one file per table, rows in the
    order of the tables (preserve_insertion_order is on, and no query sorts or joins)."""
    plans = tables["plans"].to_pydict()
    queries = {
        "subscriptions": f"""
            SELECT {_padded_id("sub_", "sub_no", tables["subscriptions"])} AS subscription_id,
                   CASE WHEN item_no = 0 THEN 'base' ELSE 'addon-' || item_no END AS item_id,
                   {_padded_id("cus_", "customer_no + 1", tables["customers"])} AS customer_id,
                   {_sql_list(plans["plan_id"])}[plan_no + 1] AS plan_id,
                   quantity::INTEGER AS quantity,
                   (unit_cents * 0.01)::DECIMAL(18, 2) AS unit_amount,
                   {_sql_list(CURRENCIES)}[currency_no + 1] AS currency,
                   {_sql_list(plans["billing_interval"])}[plan_no + 1] AS billing_interval,
                   {_sql_list(plans["interval_count"])}[plan_no + 1]::INTEGER AS interval_count,
                   (pct_hundredths * 0.01)::DECIMAL(5, 2) AS discount_percent,
                   (amount_cents * 0.01)::DECIMAL(18, 2) AS discount_amount,
                   is_trial,
                   DATE '{start}' + valid_from AS valid_from,
                   CASE WHEN valid_to < {n_days} THEN DATE '{start}' + valid_to END AS valid_to
            FROM subscriptions""",
        "customers": f"""
            SELECT {_padded_id("cus_", "customer_no + 1", tables["customers"])} AS customer_id,
                   {_sql_list(SEGMENTS)}[segment + 1] AS segment,
                   {_sql_list(COUNTRIES)}[country + 1] AS country
            FROM customers""",
        "plans": """
            SELECT plan_id, plan_name, product_id, billing_interval,
                   interval_count::INTEGER AS interval_count, tier,
                   (list_price_usd_cents * 0.01)::DECIMAL(18, 2) AS list_price_usd
            FROM plans""",
        "fx_rates": f"""
            SELECT {_sql_list(CURRENCIES)}[currency_no + 1] AS currency, rate_date,
                   (rate_micro * 0.000001)::DECIMAL(18, 6) AS rate_to_reporting
            FROM fx_rates""",
    }
    options = "FORMAT parquet" if file_format == "parquet" else "FORMAT csv, HEADER true"
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET preserve_insertion_order = true")
        for name, table in tables.items():
            con.register(name, table)
        for name, query in queries.items():
            target = str(out_dir / f"{name}.{file_format}").replace("'", "''")
            con.execute(f"COPY ({query}) TO '{target}' ({options})")
