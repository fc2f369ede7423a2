{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per Stripe subscription item per period during which it kept the same price and
-- quantity, rebuilt from history (docs/stripe.md, "Item terms"):
-- - a billing-cycle invoice line or a positive (or zero) proration sets the item's price and
--   quantity from its period start;
-- - a negative proration with no new terms the same day ends the item (it was removed), as does
--   the end of its last invoiced period when the item no longer exists in subscription_item;
-- - a quantity change made without proration shows only in subscription_history (history mode):
--   it changes the quantity of a subscription's only item from the version's start;
-- - an item without any invoice line falls back to its current state from its creation.
-- Lines of void and draft invoices are left out.

with

line_items as (
    select * from {{ ref('stg_stripe__invoice_line_item') }}
    where subscription_item_id is not null
),

invoices as (
    select * from {{ ref('stg_stripe__invoice') }}
),

items as (
    select * from {{ ref('stg_stripe__subscription_item') }}
),

history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
    where fivetran_start_at is not null
),

item_lines as (
    select
        line_items.subscription_item_id,
        line_items.quantity,
        line_items.amount,
        cast(line_items.period_started_at as date) as effective_date,
        cast(line_items.period_ended_at as date) as period_end_date,
        coalesce(line_items.subscription_id, invoices.subscription_id) as subscription_id,
        coalesce(line_items.price_id, line_items.plan_id) as price_id,
        coalesce(line_items.is_proration, false) as is_proration
    from line_items
    inner join invoices
        on line_items.invoice_id = invoices.invoice_id
    where coalesce(invoices.status, 'paid') not in ('void', 'draft')
),

ranked_term_lines as (
    -- the lines that set terms: on one day, a proration wins over a billing-cycle line
    select
        *,
        row_number() over (
            partition by subscription_item_id, effective_date
            order by
                case when is_proration then 0 else 1 end asc,
                amount desc,
                price_id asc,
                quantity desc
        ) as rank_on_day
    from item_lines
    where not is_proration or amount >= 0
),

line_term_events as (
    select
        subscription_id,
        subscription_item_id,
        effective_date,
        price_id,
        quantity,
        false as is_end,
        1 as priority
    from ranked_term_lines
    where rank_on_day = 1
),

removal_events as (
    -- a negative proration alone on its day: the item was removed
    select distinct
        item_lines.subscription_id,
        item_lines.subscription_item_id,
        item_lines.effective_date,
        cast(null as {{ dbt.type_string() }}) as price_id,
        cast(null as {{ dbt.type_bigint() }}) as quantity,
        true as is_end,
        0 as priority
    from item_lines
    left join line_term_events
        on
            item_lines.subscription_item_id = line_term_events.subscription_item_id
            and item_lines.effective_date = line_term_events.effective_date
    where
        item_lines.is_proration
        and item_lines.amount < 0
        and line_term_events.subscription_item_id is null
),

vanished_events as (
    -- an item that no longer exists and was not removed by a proration: it ended with its last
    -- invoiced period
    select
        item_lines.subscription_id,
        item_lines.subscription_item_id,
        max(item_lines.period_end_date) as effective_date,
        cast(null as {{ dbt.type_string() }}) as price_id,
        cast(null as {{ dbt.type_bigint() }}) as quantity,
        true as is_end,
        0 as priority
    from item_lines
    left join items
        on item_lines.subscription_item_id = items.subscription_item_id
    left join removal_events
        on item_lines.subscription_item_id = removal_events.subscription_item_id
    where items.subscription_item_id is null and removal_events.subscription_item_id is null
    group by 1, 2
),

current_state_events as (
    -- an item without invoice lines: its current price and quantity since its creation
    select
        items.subscription_id,
        items.subscription_item_id,
        cast(items.created_at as date) as effective_date,
        coalesce(items.price_id, items.plan_id) as price_id,
        items.quantity,
        false as is_end,
        3 as priority
    from items
    left join item_lines
        on items.subscription_item_id = item_lines.subscription_item_id
    where item_lines.subscription_item_id is null
),

all_known_items as (
    select distinct
        subscription_id,
        subscription_item_id
    from line_term_events
    union
    select
        subscription_id,
        subscription_item_id
    from current_state_events
),

single_item_subscriptions as (
    select
        subscription_id,
        min(subscription_item_id) as subscription_item_id
    from all_known_items
    group by 1
    having count(*) = 1
),

history_quantities as (
    select
        subscription_id,
        cast(fivetran_start_at as date) as effective_date,
        quantity,
        lag(quantity) over (partition by subscription_id order by fivetran_start_at) as previous_quantity
    from history
),

history_quantity_events as (
    -- a quantity change in history mode (subscription.quantity is set only on one-item
    -- subscriptions): made without proration, it has no invoice line
    select
        history_quantities.subscription_id,
        single_item_subscriptions.subscription_item_id,
        history_quantities.effective_date,
        cast(null as {{ dbt.type_string() }}) as price_id,
        history_quantities.quantity,
        false as is_end,
        2 as priority
    from history_quantities
    inner join single_item_subscriptions
        on history_quantities.subscription_id = single_item_subscriptions.subscription_id
    where
        history_quantities.quantity is not null
        and history_quantities.previous_quantity is not null
        and history_quantities.quantity <> history_quantities.previous_quantity
),

events as (
    select * from line_term_events
    union all
    select * from removal_events
    union all
    select * from vanished_events
    union all
    select * from current_state_events
    union all
    select * from history_quantity_events
),

events_by_day as (
    -- one event per item and day: a removal, else the invoice line, else history
    select
        *,
        row_number() over (
            partition by subscription_item_id, effective_date order by priority
        ) as rank_on_day
    from events
),

item_ends as (
    select
        subscription_item_id,
        min(effective_date) as end_date
    from events_by_day
    where rank_on_day = 1 and is_end
    group by 1
),

live_events as (
    -- the events up to and including the item's end
    select events_by_day.*
    from events_by_day
    left join item_ends
        on events_by_day.subscription_item_id = item_ends.subscription_item_id
    where
        events_by_day.rank_on_day = 1
        and (item_ends.end_date is null or events_by_day.effective_date <= item_ends.end_date)
),

grouped_events as (
    -- price and quantity carry forward from the last event that set them
    select
        *,
        count(price_id) over (
            partition by subscription_item_id order by effective_date
            rows between unbounded preceding and current row
        ) as price_group,
        count(quantity) over (
            partition by subscription_item_id order by effective_date
            rows between unbounded preceding and current row
        ) as quantity_group,
        lead(effective_date) over (
            partition by subscription_item_id order by effective_date
        ) as next_effective_date
    from live_events
),

filled_events as (
    select
        *,
        max(price_id) over (partition by subscription_item_id, price_group) as filled_price_id,
        max(quantity) over (partition by subscription_item_id, quantity_group) as filled_quantity
    from grouped_events
),

final as (
    select
        subscription_id,
        subscription_item_id,
        filled_price_id as price_id,
        filled_quantity as quantity,
        effective_date as valid_from,
        next_effective_date as valid_to
    from filled_events
    where not is_end and filled_price_id is not null
)

select * from final
