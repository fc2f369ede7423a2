{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per coupon applied to a Stripe subscription, with the period it reduces MRR in
-- (docs/stripe.md, "Coupons"). A forever coupon applies from its start until the discount is
-- removed; a repeating one for duration_in_months; a once coupon for one billing period of the
-- subscription. Stripe's MRR counts only forever coupons: once and repeating coupons are kept
-- with is_counted false unless var mrr_stripe_count_limited_coupons is true.

with

discounts as (
    select * from {{ ref('stg_stripe__subscription_discount') }}
),

coupons as (
    select * from {{ ref('stg_stripe__coupon') }}
),

item_terms as (
    select * from {{ ref('int_stripe__item_terms') }}
),

prices as (
    select * from {{ ref('stg_stripe__price') }}
),

subscription_intervals as (
    -- Stripe bills every recurring item of a subscription on one interval
    select
        item_terms.subscription_id,
        max(lower(prices.recurring_interval)) as billing_interval,
        max(coalesce(prices.recurring_interval_count, 1)) as interval_count
    from item_terms
    inner join prices
        on item_terms.price_id = prices.price_id
    where prices.recurring_interval is not null
    group by 1
),

dated_discounts as (
    select
        *,
        cast(started_at as date) as start_date
    from discounts
),

{#- the day a limited coupon stops applying: after its months, or after one billing period -#}
{% set start = 'dated_discounts.start_date' %}
{% set interval_count = 'coalesce(subscription_intervals.interval_count, 1)' %}
applied as (
    select
        dated_discounts.discount_id,
        dated_discounts.subscription_id,
        dated_discounts.coupon_id,
        coupons.percent_off,
        coupons.amount_off,
        dated_discounts.start_date as valid_from,
        cast(dated_discounts.ended_at as date) as removed_date,
        lower(coupons.duration) as duration,
        upper(coupons.currency) as currency,
        case lower(coupons.duration)
            when 'repeating'
                then cast({{ dbt.dateadd('month', 'coupons.duration_in_months', start) }} as date)
            when 'once'
                then case subscription_intervals.billing_interval
                        when 'day' then cast({{ dbt.dateadd('day', interval_count, start) }} as date)
                        when 'week' then cast({{ dbt.dateadd('week', interval_count, start) }} as date)
                        when 'year' then cast({{ dbt.dateadd('year', interval_count, start) }} as date)
                        else cast({{ dbt.dateadd('month', interval_count, start) }} as date)
                    end
        end as duration_end_date
    from dated_discounts
    inner join coupons
        on dated_discounts.coupon_id = coupons.coupon_id
    left join subscription_intervals
        on dated_discounts.subscription_id = subscription_intervals.subscription_id
),

bounded as (
    select
        discount_id,
        subscription_id,
        coupon_id,
        duration,
        percent_off,
        amount_off,
        currency,
        {{ mrr_engine.stripe_coupon_is_counted('duration') }} as is_counted,
        valid_from,
        case
            when duration_end_date is null then removed_date
            when removed_date is null or duration_end_date < removed_date then duration_end_date
            else removed_date
        end as valid_to
    from applied
),

final as (
    select * from bounded
    where valid_to is null or valid_to > valid_from
)

select * from final
