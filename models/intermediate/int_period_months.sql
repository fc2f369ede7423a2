-- One row per period grain (month, quarter, year) and month of int_months: the period holding the
-- month, its first calendar month and its last month (the period's last month, or the as-of month
-- for the period holding it). Periods start at month indexes divisible by their number of months
-- (January, April, July, October for quarters).

with

months as (
    select * from {{ ref('int_months') }}
),

grains as (
    select
        'month' as period_grain,
        1 as months_per_period
    union all
    select
        'quarter' as period_grain,
        3 as months_per_period
    union all
    select
        'year' as period_grain,
        12 as months_per_period
),

month_grains as (
    -- the month index cast: PostgreSQL can type it as a double
    select
        grains.period_grain,
        months.month,
        cast(months.month_index as integer) as month_index,
        cast(months.month_index as integer)
        - cast(months.month_index as integer) % grains.months_per_period as first_month_index,
        cast(months.month_index as integer)
        - cast(months.month_index as integer) % grains.months_per_period
        + grains.months_per_period - 1 as calendar_last_month_index
    from months
    cross join grains
),

final as (
    select
        period_grain,
        case period_grain
            when 'month' then month
            when 'quarter' then cast({{ dbt.date_trunc('quarter', 'month') }} as date)
            else cast({{ dbt.date_trunc('year', 'month') }} as date)
        end as period_start,
        month,
        month_index,
        first_month_index,
        case
            when calendar_last_month_index < {{ mrr_engine.as_of_month_index() }} then calendar_last_month_index
            else {{ mrr_engine.as_of_month_index() }}
        end as last_month_index
    from month_grains
)

select * from final
