-- One row per subscription line per month at whose end it has MRR: the terms of its period in
-- force, the month's fx rate and its MRR in the reporting currency, in cents. Lines whose MRR is
-- zero (trials, free plans, 100 % discounts, quantity 0) are absent. While the same period lasts,
-- also its MRR at the end of the month before (with its rate) and whether it has MRR at the end of
-- the month after: int_line_changes and int_line_change_effects use them to find unchanged and
-- fx-only lines without joining two months.

{#- the whole-number denominator of a line's net price (line_net_scaled) -#}
{% set denominator = 'priced_periods.factor_denominator * priced_periods.factor_denominator' %}

with

periods as (
    select * from {{ ref('int_subscription_periods_in_force') }}
),

months as (
    select * from {{ ref('int_months') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

factored_periods as (
    -- paying periods (not trials) with their billing factor
    select
        *,
        {{ mrr_engine.billing_factor_numerator('billing_interval') }} as factor_numerator,
        {{ mrr_engine.billing_factor_denominator('billing_interval', 'interval_count') }}
            as factor_denominator
    from periods
    where not is_trial
),

netted_periods as (
    -- the net price of each period, once: it does not change from month to month
    select
        *,
        {{ mrr_engine.line_net_scaled(
            'unit_amount', 'quantity', 'discount_percent', 'discount_amount',
            'factor_numerator', 'factor_denominator', 'factor_numerator', 'factor_denominator'
        ) }} as net_scaled
    from factored_periods
),

priced_periods as {{ mrr_engine.cte_materialized() }} (
    -- and its MRR at the rate 1 (a line in the reporting currency has it in every month).
    -- Computed once (cte_materialized()): spans and valued both read it, and DuckDB otherwise
    -- computed every period's net price twice (about a tenth of the model's CPU at 1,000,000)
    select
        *,
        {{ mrr_engine.round_to_cents('net_scaled', 'factor_denominator * factor_denominator') }}
            as mrr_at_par
    from netted_periods
),

spans as (
    -- the month ranges that lines with a net price cover, per currency
    select distinct
        currency,
        first_month_index,
        last_month_index
    from priced_periods
    where net_scaled > 0
),

span_months as (
    select
        spans.currency,
        spans.first_month_index,
        spans.last_month_index,
        months.month,
        months.month_index
    from spans
    inner join months
        on months.month_index between spans.first_month_index and spans.last_month_index
),

currency_months as (
    -- every month in which a line of the currency has a net price, so needs a rate
    select distinct
        currency,
        month_index
    from span_months
),

missing_rates as (
    select
        currency_months.currency,
        min(currency_months.month_index) as first_month_index,
        count(*) as month_count
    from currency_months
    left join fx_rates
        on
            currency_months.currency = fx_rates.currency
            and currency_months.month_index = fx_rates.month_index
    where fx_rates.rate_to_reporting is null
    group by 1
),

month_rates as (
    select
        currency_months.currency,
        currency_months.month_index,
        coalesce(
            fx_rates.rate_to_reporting,
            {{ mrr_engine.raise_error(
                "'No fx rate for currency ' || missing_rates.currency || ' in month '"
                ~ " || cast(missing_months.month as " ~ dbt.type_string() ~ ")"
                ~ " || ' (and ' || cast(missing_rates.month_count - 1 as " ~ dbt.type_string() ~ ")"
                ~ " || ' later month(s)): add a row to fx_rates with a rate_date on or before the month end.'"
            ) }}
        ) as rate_to_reporting
    from currency_months
    left join fx_rates
        on
            currency_months.currency = fx_rates.currency
            and currency_months.month_index = fx_rates.month_index
    left join missing_rates
        on currency_months.currency = missing_rates.currency
    left join months as missing_months
        on missing_rates.first_month_index = missing_months.month_index
),

span_month_rates as (
    -- each span's months with their rates, and the rates of the months before and after it while
    -- the span lasts: periods join it on equality only
    select
        span_months.*,
        this_month.rate_to_reporting,
        previous_month.rate_to_reporting as previous_rate_to_reporting,
        next_month.rate_to_reporting as next_rate_to_reporting
    from span_months
    inner join month_rates as this_month
        on
            span_months.currency = this_month.currency
            and span_months.month_index = this_month.month_index
    left join month_rates as previous_month
        on
            span_months.currency = previous_month.currency
            and span_months.month_index - 1 = previous_month.month_index
            and span_months.month_index > span_months.first_month_index
    left join month_rates as next_month
        on
            span_months.currency = next_month.currency
            and span_months.month_index + 1 = next_month.month_index
            and span_months.month_index < span_months.last_month_index
),

valued as (
    -- the line's MRR this month, in the month before and in the month after under the same
    -- terms (null outside its period); the reporting currency has the period's MRR, computed once
    select
        priced_periods.*,
        span_month_rates.month,
        span_month_rates.month_index,
        span_month_rates.rate_to_reporting,
        {% for rate, mrr in [
            ('rate_to_reporting', 'mrr'),
            ('previous_rate_to_reporting', 'previous_mrr_in_period'),
            ('next_rate_to_reporting', 'next_mrr_in_period'),
        ] %}
            case
                when span_month_rates.{{ rate }} = 1 then priced_periods.mrr_at_par
                when span_month_rates.{{ rate }} is not null
                    then {{ mrr_engine.round_to_cents(
                        'priced_periods.net_scaled', denominator, 'span_month_rates.' ~ rate
                    ) }}
            end as {{ mrr }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from priced_periods
    inner join span_month_rates
        on
            priced_periods.currency = span_month_rates.currency
            and priced_periods.first_month_index = span_month_rates.first_month_index
            and priced_periods.last_month_index = span_month_rates.last_month_index
    where priced_periods.net_scaled > 0
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
        cast(mrr as {{ mrr_engine.type_money_intermediate() }}) as mrr,
        cast(previous_mrr_in_period as {{ mrr_engine.type_money_intermediate() }}) as previous_mrr_in_period,
        coalesce(next_mrr_in_period > 0, false) as has_next_mrr_in_period
    from valued
    -- lines whose MRR rounds to zero (under half a cent) have none
    where mrr > 0
)

select * from final
