-- One row per currency per month: the rate that converts the currency into the reporting
-- currency, taken from the latest rate_date on or before the month's snapshot date (of the valid
-- rates: one per currency and date). The reporting currency is always 1.

with

fx_rates as (
    -- the valid rows (at most one per currency and date: rule duplicate_fx_rate)
    select * from {{ ref('int_fx_rates_checked') }}
    where
        rejection_reason is null
        and currency != {{ mrr_engine.reporting_currency() }}
),

months as (
    select * from {{ ref('int_months') }}
),

candidates as (
    {{ mrr_engine.fx_rate_candidates('fx_rates', 'months') }}
),

final as (
    select
        currency,
        month_index,
        rate_to_reporting
    from candidates
    where recency = 1

    union all

    select
        {{ mrr_engine.reporting_currency() }} as currency,
        month_index,
        cast(1 as decimal(28, 10)) as rate_to_reporting
    from months
)

select * from final
