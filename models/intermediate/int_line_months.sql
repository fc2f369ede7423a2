-- One row per subscription line per month at whose end it has MRR: the terms of its period in
-- force, the month's fx rate and its MRR in the reporting currency, in cents. Lines whose MRR is
-- zero (trials, free plans, 100 % discounts, quantity 0) are absent.
-- Incremental: a build on a built warehouse recomputes only the months from
-- rebuild_from_month_index() on (see int_incremental_window).

{{ config(mrr_engine.month_incremental_config()) }}
{% set rebuild_from = mrr_engine.rebuild_from_month_index() if is_incremental() else 0 %}

with

periods as (
    select * from {{ ref('int_subscription_periods_in_force') }}
),

months as (
    select * from {{ ref('int_months') }}
    where month_index >= {{ rebuild_from }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

expanded as (
    select
        periods.*,
        {{ mrr_engine.billing_factor_numerator('periods.billing_interval') }} as factor_numerator,
        {{ mrr_engine.billing_factor_denominator('periods.billing_interval', 'periods.interval_count') }}
            as factor_denominator,
        months.month,
        months.month_index
    from periods
    inner join months
        on months.month_index between periods.first_month_index and periods.last_month_index
),

missing_rates as (
    select
        expanded.currency,
        min(expanded.month) as first_month,
        count(distinct expanded.month) as month_count
    from expanded
    left join fx_rates
        on
            expanded.currency = fx_rates.currency
            and expanded.month_index = fx_rates.month_index
    where fx_rates.rate_to_reporting is null
    group by 1
),

priced as (
    select
        expanded.*,
        coalesce(
            fx_rates.rate_to_reporting,
            {{ mrr_engine.raise_error(
                "'No fx rate for currency ' || missing_rates.currency || ' in month '"
                ~ " || cast(missing_rates.first_month as " ~ dbt.type_string() ~ ")"
                ~ " || ' (and ' || cast(missing_rates.month_count - 1 as " ~ dbt.type_string() ~ ")"
                ~ " || ' later month(s)): add a row to fx_rates with a rate_date on or before the month end.'"
            ) }}
        ) as rate_to_reporting
    from expanded
    left join fx_rates
        on
            expanded.currency = fx_rates.currency
            and expanded.month_index = fx_rates.month_index
    left join missing_rates
        on expanded.currency = missing_rates.currency
),

valued as (
    select
        *,
        case
            when is_trial then cast(0 as {{ mrr_engine.type_money() }})
            else {{ mrr_engine.line_mrr(
                'unit_amount', 'quantity', 'discount_percent', 'discount_amount',
                'factor_numerator', 'factor_denominator',
                'factor_numerator', 'factor_denominator',
                'rate_to_reporting'
            ) }}
        end as mrr
    from priced
),

final as (
    select
        month,
        month_index,
        customer_id,
        subscription_id,
        item_id,
        plan_id,
        product_id,
        currency,
        quantity,
        unit_amount,
        discount_percent,
        discount_amount,
        factor_numerator,
        factor_denominator,
        rate_to_reporting,
        cast(mrr as {{ mrr_engine.type_money() }}) as mrr
    from valued
    where mrr > 0
)

select * from final
