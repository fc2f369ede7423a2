-- Every input fx rate row, with the first rule it breaks (null when it is valid): the audit table
-- of the fx_rates file, as int_subscription_periods_checked is that of the subscriptions file
-- (docs/input-checks.md). Only the valid rows value a month (int_fx_rates_monthly).

with

fx_rates as (
    select * from {{ ref('stg_fx_rates') }}
),

rates_per_date as (
    -- how many rows give a rate for each currency and date: one rate per day, or none is used
    select
        currency,
        rate_date,
        count(*) as row_count
    from fx_rates
    group by 1, 2
),

final as (
    select
        fx_rates.input_row_number,
        fx_rates.currency,
        fx_rates.rate_date,
        fx_rates.rate_to_reporting,
        case
            when fx_rates.rate_to_reporting >= 100000 then 'amount_out_of_range'
            when {{ mrr_engine.has_more_decimal_places('fx_rates.rate_to_reporting_text', 10) }}
                then 'too_many_decimals'
            when rates_per_date.row_count > 1 then 'duplicate_fx_rate'
        end as rejection_reason
    from fx_rates
    left join rates_per_date
        on
            fx_rates.currency = rates_per_date.currency
            and fx_rates.rate_date = rates_per_date.rate_date
)

select * from final
