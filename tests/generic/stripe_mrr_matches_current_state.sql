{% test stripe_mrr_matches_current_state(model) %}
    {#-
        On the Stripe adapter's contract rows (`model`, int_stripe__subscriptions): for every Stripe
        subscription that did not change from the first day of the as-of month on, its MRR at the
        end of the as-of month as rebuilt from history equals what Stripe's current state says (the
        active subscription_history version, the items that exist now, the coupon in force now),
        both in the subscription's currency before fx and rounding. Returns the subscriptions that
        differ.
    -#}
{% set month_start = 'cast(' ~ dbt.date_trunc('month', mrr_engine.as_of_date()) ~ ' as date)' %}

with

periods as (
    select * from {{ model }}
),

status_periods as (
    select * from {{ ref('int_stripe__subscription_status_periods') }}
),

history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

items as (
    select * from {{ ref('stg_stripe__subscription_item') }}
),

prices as (
    select * from {{ ref('stg_stripe__price') }}
    where {{ mrr_engine.stripe_price_is_counted() }}
),

discounts as (
    select * from {{ ref('stg_stripe__subscription_discount') }}
),

coupons as (
    select * from {{ ref('stg_stripe__coupon') }}
),

changed_subscriptions as (
    -- anything that starts or ends from the as-of month's first day on
    select subscription_id from periods
    where valid_from >= {{ month_start }} or valid_to >= {{ month_start }}
    union
    select subscription_id from status_periods
    where valid_from >= {{ month_start }} or valid_to >= {{ month_start }}
    union
    select subscription_id from history
    where cast(fivetran_start_at as date) >= {{ month_start }}
    union
    select subscription_id from items
    where cast(created_at as date) >= {{ month_start }}
    union
    select subscription_id from discounts
    where
        cast(started_at as date) >= {{ month_start }}
        or cast(ended_at as date) >= {{ month_start }}
),

rebuilt as (
    -- the adapter's rows in force at the end of the as-of month
    select
        subscription_id,
        sum(
            (unit_amount * quantity * (1 - discount_percent / 100) - discount_amount)
            * {{ mrr_engine.billing_factor_numerator('billing_interval') }}
            / {{ mrr_engine.billing_factor_denominator('billing_interval', 'interval_count') }}
        ) as mrr
    from periods
    where
        not is_trial
        and valid_from <= {{ mrr_engine.as_of_date() }}
        and (valid_to is null or valid_to > {{ mrr_engine.as_of_date() }})
    group by 1
),

current_status as (
    select
        subscription_id,
        lower(status) in {{ mrr_engine.stripe_paying_statuses() }}
        {% if not mrr_engine.flag_var('stripe_count_paused') %}
            and pause_collection_behavior is null
        {% endif %} as is_counted
    from history
    where is_fivetran_active or fivetran_start_at is null
),

current_discounts as (
    select
        discounts.subscription_id,
        max(coupons.percent_off) as percent_off,
        max(coupons.amount_off) as amount_off,
        max(upper(coupons.currency)) as currency
    from discounts
    inner join coupons
        on discounts.coupon_id = coupons.coupon_id
    where
        (discounts.ended_at is null or cast(discounts.ended_at as date) > {{ mrr_engine.as_of_date() }})
        and {{ mrr_engine.stripe_coupon_is_counted('lower(coupons.duration)') }}
    group by 1
),

current_items as (
    select
        items.subscription_id,
        upper(prices.currency) as currency,
        {{ mrr_engine.stripe_major_units(
            'coalesce(prices.unit_amount_decimal, prices.unit_amount)', 'prices.currency'
        ) }} * coalesce(items.quantity, 1)
        * {{ mrr_engine.billing_factor_numerator('lower(prices.recurring_interval)') }}
        / {{ mrr_engine.billing_factor_denominator(
            'lower(prices.recurring_interval)', 'coalesce(prices.recurring_interval_count, 1)'
        ) }} as list_mrr,
        cast({{ mrr_engine.billing_factor_numerator('lower(prices.recurring_interval)') }} as decimal(28, 10))
        / {{ mrr_engine.billing_factor_denominator(
            'lower(prices.recurring_interval)', 'coalesce(prices.recurring_interval_count, 1)'
        ) }} as factor
    from items
    inner join prices
        on coalesce(items.price_id, items.plan_id) = prices.price_id
),

current_state as (
    select
        current_items.subscription_id,
        sum(current_items.list_mrr) * (1 - coalesce(max(current_discounts.percent_off), 0) / 100)
        - coalesce(max(
            case
                when current_discounts.currency = current_items.currency
                    then current_items.factor * {{ mrr_engine.stripe_major_units(
                        'current_discounts.amount_off', 'current_discounts.currency'
                    ) }}
            end
        ), 0) as mrr
    from current_items
    inner join current_status
        on current_items.subscription_id = current_status.subscription_id
    left join current_discounts
        on current_items.subscription_id = current_discounts.subscription_id
    where current_status.is_counted
    group by 1
),

compared as (
    select
        coalesce(rebuilt.subscription_id, current_state.subscription_id) as subscription_id,
        round(coalesce(rebuilt.mrr, 0), 2) as rebuilt_mrr,
        round(coalesce(current_state.mrr, 0), 2) as current_state_mrr
    from rebuilt
    full outer join current_state
        on rebuilt.subscription_id = current_state.subscription_id
),

final as (
    select compared.*
    from compared
    left join changed_subscriptions
        on compared.subscription_id = changed_subscriptions.subscription_id
    where
        changed_subscriptions.subscription_id is null
        and compared.rebuilt_mrr <> compared.current_state_mrr
)

select * from final
{% endtest %}
