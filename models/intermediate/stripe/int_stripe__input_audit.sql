{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per kind of Stripe data the adapter leaves out of MRR, with how many and an example
-- (docs/stripe.md, "What is left out"): items on metered, one-time or tiered prices, invoice
-- lines of void and draft invoices, subscriptions that spent time in a status that is not
-- counted, trials (kept, with no MRR), coupons not counted and amount-off coupons in another currency than the item.
-- `mrr build --input-format stripe` prints it after the build. Kinds with nothing left out are
-- absent.

with

item_terms as (
    select * from {{ ref('int_stripe__item_terms') }}
),

prices as (
    select * from {{ ref('stg_stripe__price') }}
),

line_items as (
    select * from {{ ref('stg_stripe__invoice_line_item') }}
),

invoices as (
    select * from {{ ref('stg_stripe__invoice') }}
),

status_periods as (
    select * from {{ ref('int_stripe__subscription_status_periods') }}
),

coupons as (
    select * from {{ ref('int_stripe__coupons_in_force') }}
),

item_prices as (
    select distinct
        item_terms.subscription_item_id,
        item_terms.price_id,
        lower(prices.price_type) as price_type,
        lower(prices.recurring_usage_type) as usage_type,
        lower(prices.billing_scheme) as billing_scheme,
        prices.price_id is null as is_unknown_price
    from item_terms
    left join prices
        on item_terms.price_id = prices.price_id
),

left_out as (
    select
        'metered_price' as reason,
        'subscription_item' as stripe_table,
        subscription_item_id as stripe_id
    from item_prices
    where usage_type = 'metered'
    union all
    select
        'one_time_price' as reason,
        'invoice_line_item' as stripe_table,
        line_items.invoice_line_item_id as stripe_id
    from line_items
    inner join prices
        on coalesce(line_items.price_id, line_items.plan_id) = prices.price_id
    where lower(prices.price_type) = 'one_time'
    union all
    select
        'tiered_price' as reason,
        'subscription_item' as stripe_table,
        subscription_item_id as stripe_id
    from item_prices
    where billing_scheme = 'tiered' and coalesce(usage_type, 'licensed') <> 'metered'
    union all
    select
        'unknown_price' as reason,
        'subscription_item' as stripe_table,
        subscription_item_id as stripe_id
    from item_prices
    where is_unknown_price
    union all
    select
        lower(status) || '_invoice' as reason,
        'invoice' as stripe_table,
        invoice_id as stripe_id
    from invoices
    where lower(status) in ('void', 'draft')
    union all
    select distinct
        status || '_status' as reason,
        'subscription_history' as stripe_table,
        subscription_id as stripe_id
    from status_periods
    where not is_counted and not (status in {{ mrr_engine.stripe_paying_statuses() }} and is_collection_paused)
    union all
    select distinct
        'trial' as reason,
        'subscription_history' as stripe_table,
        subscription_id as stripe_id
    from status_periods
    where is_trial
    union all
    select distinct
        'paused_collection' as reason,
        'subscription_history' as stripe_table,
        subscription_id as stripe_id
    from status_periods
    where not is_counted and status in {{ mrr_engine.stripe_paying_statuses() }} and is_collection_paused
    union all
    select
        duration || '_coupon_not_counted' as reason,
        'subscription_discount' as stripe_table,
        discount_id as stripe_id
    from coupons
    where not is_counted
),

final as (
    select
        reason,
        stripe_table,
        count(distinct stripe_id) as row_count,
        min(stripe_id) as example_id
    from left_out
    group by 1, 2
)

select * from final
