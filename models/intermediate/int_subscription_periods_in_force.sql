-- Valid subscription periods with the months at whose end they are in force.
-- A period is in force at the end of month M when
-- valid_from < instant(M) <= valid_to (instant = first day of M + 1, or as_of_date + 1 day in the
-- as-of month), so it covers the months from month(valid_from) to month(valid_to) - 1, or to the
-- as-of month when it runs past the as-of date. Periods that start after the as-of date, or
-- that start and end inside one month, are in force at no month end.

with

periods as (
    select * from {{ ref('int_subscription_periods_checked') }}
    where rejection_reason is null
),

bounded as (
    select
        *,
        {{ mrr_engine.month_index('valid_from') }} as first_month_index,
        case
            when valid_to is null or valid_to > {{ mrr_engine.as_of_date() }}
                then {{ mrr_engine.as_of_month_index() }}
            else {{ mrr_engine.month_index('valid_to') }} - 1
        end as last_month_index
    from periods
    where valid_from <= {{ mrr_engine.as_of_date() }}
),

final as (
    select
        subscription_id,
        item_id,
        customer_id,
        plan_id,
        product_id,
        currency,
        quantity,
        unit_amount,
        discount_percent,
        discount_amount,
        is_trial,
        billing_interval,
        interval_count,
        valid_from,
        valid_to,
        first_month_index,
        last_month_index
    from bounded
    where first_month_index <= last_month_index
)

select * from final
