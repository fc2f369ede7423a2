{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per Stripe subscription item per period with the same terms: the input contract's
-- subscriptions (README, "Input contract"), which stg_subscriptions reads and checks when var
-- mrr_input_format is stripe. A line is a subscription item (item_id = Stripe's si_ id), so a
-- price swapped on one item is a plan change of one line. Each item's terms over time
-- (int_stripe__item_terms) are cut by its subscription's status periods
-- (int_stripe__subscription_status_periods: only counted ones are kept, trials as is_trial) and
-- by the coupons in force (int_stripe__coupons_in_force, counted ones only). Only recurring,
-- licensed, per-unit prices are kept (metered, one-time and tiered prices are in
-- int_stripe__input_audit). Amounts are in major units (zero-decimal currencies as they are);
-- an amount-off coupon applies to the subscription's first item, in its currency.

with

item_terms as (
    select * from {{ ref('int_stripe__item_terms') }}
),

status_periods as (
    select * from {{ ref('int_stripe__subscription_status_periods') }}
    where is_counted
),

coupons as (
    select * from {{ ref('int_stripe__coupons_in_force') }}
    where is_counted
),

prices as (
    select * from {{ ref('stg_stripe__price') }}
    where {{ mrr_engine.stripe_price_is_counted() }}
),

ranked_items as (
    -- the items on a price that counts, first invoiced first
    select
        item_terms.subscription_id,
        item_terms.subscription_item_id,
        row_number() over (
            partition by item_terms.subscription_id
            order by item_terms.valid_from asc, item_terms.subscription_item_id asc
        ) as item_rank
    from item_terms
    inner join prices
        on item_terms.price_id = prices.price_id
),

first_items as (
    -- the item an amount-off coupon applies to: the subscription's first
    select
        subscription_id,
        subscription_item_id
    from ranked_items
    where item_rank = 1
),

boundaries as (
    -- every date on which something about an item may change
    select
        subscription_item_id,
        valid_from as boundary_date
    from item_terms
    union
    select
        subscription_item_id,
        valid_to
    from item_terms
    where valid_to is not null
    union
    select
        item_terms.subscription_item_id,
        status_periods.valid_from
    from item_terms
    inner join status_periods
        on item_terms.subscription_id = status_periods.subscription_id
    union
    select
        item_terms.subscription_item_id,
        status_periods.valid_to
    from item_terms
    inner join status_periods
        on item_terms.subscription_id = status_periods.subscription_id
    where status_periods.valid_to is not null
    union
    select
        item_terms.subscription_item_id,
        coupons.valid_from
    from item_terms
    inner join coupons
        on item_terms.subscription_id = coupons.subscription_id
    union
    select
        item_terms.subscription_item_id,
        coupons.valid_to
    from item_terms
    inner join coupons
        on item_terms.subscription_id = coupons.subscription_id
    where coupons.valid_to is not null
),

pieces as (
    select
        subscription_item_id,
        boundary_date as valid_from,
        lead(boundary_date) over (partition by subscription_item_id order by boundary_date) as valid_to
    from boundaries
),

priced_pieces as (
    -- each piece with the item's terms, its subscription's status and the coupon in force
    select
        item_terms.subscription_id,
        pieces.subscription_item_id,
        status_periods.customer_id,
        item_terms.price_id,
        coalesce(item_terms.quantity, 1) as quantity,
        {{ mrr_engine.stripe_major_units(
            'coalesce(prices.unit_amount_decimal, prices.unit_amount)', 'prices.currency'
        ) }} as unit_amount,
        upper(prices.currency) as currency,
        lower(prices.recurring_interval) as billing_interval,
        coalesce(prices.recurring_interval_count, 1) as interval_count,
        coalesce(coupons.percent_off, 0) as discount_percent,
        case
            when
                coupons.amount_off is not null
                and coupons.currency = upper(prices.currency)
                and first_items.subscription_item_id is not null
                then {{ mrr_engine.stripe_major_units('coupons.amount_off', 'coupons.currency') }}
            else 0
        end as discount_amount,
        status_periods.is_trial,
        pieces.valid_from,
        pieces.valid_to,
        row_number() over (
            partition by pieces.subscription_item_id, pieces.valid_from
            order by coupons.valid_from desc, coupons.discount_id asc
        ) as coupon_rank
    from pieces
    inner join item_terms
        on
            pieces.subscription_item_id = item_terms.subscription_item_id
            and pieces.valid_from >= item_terms.valid_from
            and (item_terms.valid_to is null or pieces.valid_from < item_terms.valid_to)
    inner join status_periods
        on
            item_terms.subscription_id = status_periods.subscription_id
            and pieces.valid_from >= status_periods.valid_from
            and (status_periods.valid_to is null or pieces.valid_from < status_periods.valid_to)
    inner join prices
        on item_terms.price_id = prices.price_id
    left join coupons
        on
            item_terms.subscription_id = coupons.subscription_id
            and pieces.valid_from >= coupons.valid_from
            and (coupons.valid_to is null or pieces.valid_from < coupons.valid_to)
    left join first_items
        on pieces.subscription_item_id = first_items.subscription_item_id
),

flagged_pieces as (
    -- a piece that continues the one before it with the same terms joins it
    select
        *,
        case
            when
                lag(valid_to) over item_window = valid_from
                and lag(customer_id) over item_window = customer_id
                and lag(price_id) over item_window = price_id
                and lag(quantity) over item_window = quantity
                and lag(discount_percent) over item_window = discount_percent
                and lag(discount_amount) over item_window = discount_amount
                and lag(is_trial) over item_window = is_trial
                then 0
            else 1
        end as starts_period
    from priced_pieces
    where coupon_rank = 1
    window item_window as (partition by subscription_item_id order by valid_from)
),

numbered_pieces as (
    select
        *,
        sum(starts_period) over (
            partition by subscription_item_id order by valid_from
            rows between unbounded preceding and current row
        ) as period_number
    from flagged_pieces
),

periods as (
    select
        subscription_id,
        subscription_item_id as item_id,
        customer_id,
        price_id as plan_id,
        quantity,
        unit_amount,
        currency,
        billing_interval,
        interval_count,
        discount_percent,
        discount_amount,
        is_trial,
        period_number,
        min(valid_from) as valid_from,
        case when count(valid_to) < count(*) then null else max(valid_to) end as valid_to
    from numbered_pieces
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
),

final as (
    select
        subscription_id,
        item_id,
        customer_id,
        plan_id,
        quantity,
        unit_amount,
        currency,
        billing_interval,
        interval_count,
        discount_percent,
        discount_amount,
        is_trial,
        valid_from,
        valid_to,
        row_number() over (order by subscription_id, item_id, valid_from) as input_row_number
    from periods
)

select * from final
