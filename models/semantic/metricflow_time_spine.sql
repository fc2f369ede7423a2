-- MetricFlow's time spine: one row per day from 1990-01-01 (before any SaaS subscription data) to one
-- year after the as-of date, so it covers every month a mart reports on plus room for offsets.

with

days as (
    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('1990-01-01' as date)",
        end_date=dbt.dateadd('year', 1, mrr_engine.as_of_date()),
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
