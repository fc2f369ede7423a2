-- One row per subscription line of a continuing customer (MRR at the end of both the previous
-- month and this one) whose line set or terms may have changed: a line in both months, a line
-- replaced by another of the same product (switch pairing), a line added, a line removed. Each row
-- has the line's terms in both months (state 0 and state 1) and its MRR in both.
-- Incremental: a build on a built warehouse recomputes only the months from
-- rebuild_from_month_index() on (see int_incremental_window).

{{ config(mrr_engine.month_incremental_config()) }}
{% set rebuild_from = mrr_engine.rebuild_from_month_index() if is_incremental() else 0 %}

with

line_months as (
    select * from {{ ref('int_line_months') }}
    where month_index >= {{ rebuild_from - 1 }}
),

customer_months as (
    select * from {{ ref('int_customer_months') }}
    where
        customer_status = 'continuing'
        and month_index >= {{ rebuild_from }}
),

current_lines as (
    select line_months.*
    from line_months
    inner join customer_months
        on
            line_months.customer_id = customer_months.customer_id
            and line_months.month_index = customer_months.month_index
),

previous_lines as (
    select
        line_months.*,
        customer_months.month as movement_month,
        customer_months.month_index as movement_month_index
    from line_months
    inner join customer_months
        on
            line_months.customer_id = customer_months.customer_id
            and line_months.month_index = customer_months.month_index - 1
),

matched as (
    select
        current_lines.subscription_id as current_subscription_id,
        current_lines.item_id as current_item_id,
        previous_lines.subscription_id as previous_subscription_id,
        previous_lines.item_id as previous_item_id,
        coalesce(current_lines.month_index, previous_lines.movement_month_index) as month_index,
        coalesce(current_lines.month, previous_lines.movement_month) as month,
        coalesce(current_lines.customer_id, previous_lines.customer_id) as customer_id,
        coalesce(current_lines.product_id, previous_lines.product_id) as product_id,
        coalesce(current_lines.currency, previous_lines.currency) as currency
    from current_lines
    full outer join previous_lines
        on
            current_lines.customer_id = previous_lines.customer_id
            and current_lines.subscription_id = previous_lines.subscription_id
            and current_lines.item_id = previous_lines.item_id
            and current_lines.month_index = previous_lines.movement_month_index
),

unmatched_counted as (
    select
        *,
        sum(case when previous_subscription_id is null then 1 else 0 end) over (
            partition by customer_id, month_index, product_id
        ) as added_in_product,
        sum(case when current_subscription_id is null then 1 else 0 end) over (
            partition by customer_id, month_index, product_id
        ) as removed_in_product
    from matched
    where previous_subscription_id is null or current_subscription_id is null
),

switch_pairs as (
    select
        added.month_index,
        added.month,
        added.customer_id,
        added.current_subscription_id,
        added.current_item_id,
        removed.previous_subscription_id,
        removed.previous_item_id
    from unmatched_counted as added
    inner join unmatched_counted as removed
        on
            added.customer_id = removed.customer_id
            and added.month_index = removed.month_index
            and added.product_id = removed.product_id
            and added.currency = removed.currency
    where
        added.previous_subscription_id is null
        and removed.current_subscription_id is null
        and added.added_in_product = 1
        and added.removed_in_product = 1
),

paired as (
    select
        month_index,
        month,
        customer_id,
        current_subscription_id,
        current_item_id,
        previous_subscription_id,
        previous_item_id,
        case
            when current_subscription_id is null then 'removed'
            when previous_subscription_id is null then 'added'
            else 'kept'
        end as line_change
    from matched
    where not exists (
            select 1
            from switch_pairs
            where
                switch_pairs.customer_id = matched.customer_id
                and switch_pairs.month_index = matched.month_index
                and (
                    (
                        switch_pairs.current_subscription_id = matched.current_subscription_id
                        and switch_pairs.current_item_id = matched.current_item_id
                    )
                    or (
                        switch_pairs.previous_subscription_id = matched.previous_subscription_id
                        and switch_pairs.previous_item_id = matched.previous_item_id
                    )
                )
        )

    union all

    select
        month_index,
        month,
        customer_id,
        current_subscription_id,
        current_item_id,
        previous_subscription_id,
        previous_item_id,
        'switched' as line_change
    from switch_pairs
),

compared as (
    select
        paired.month,
        paired.month_index,
        paired.customer_id,
        paired.line_change,
        previous_lines.plan_id as from_plan_id,
        current_lines.plan_id as to_plan_id,
        previous_lines.unit_amount as unit_amount_0,
        previous_lines.quantity as quantity_0,
        previous_lines.discount_percent as discount_percent_0,
        previous_lines.discount_amount as discount_amount_0,
        previous_lines.factor_numerator as factor_numerator_0,
        previous_lines.factor_denominator as factor_denominator_0,
        previous_lines.rate_to_reporting as rate_0,
        current_lines.unit_amount as unit_amount_1,
        current_lines.quantity as quantity_1,
        current_lines.discount_percent as discount_percent_1,
        current_lines.discount_amount as discount_amount_1,
        current_lines.factor_numerator as factor_numerator_1,
        current_lines.factor_denominator as factor_denominator_1,
        current_lines.rate_to_reporting as rate_1,
        coalesce(paired.current_subscription_id, paired.previous_subscription_id) as subscription_id,
        coalesce(paired.current_item_id, paired.previous_item_id) as item_id,
        coalesce(current_lines.product_id, previous_lines.product_id) as product_id,
        coalesce(previous_lines.mrr, 0) as mrr_0,
        coalesce(current_lines.mrr, 0) as mrr_1
    from paired
    left join current_lines
        on
            paired.customer_id = current_lines.customer_id
            and paired.month_index = current_lines.month_index
            and paired.current_subscription_id = current_lines.subscription_id
            and paired.current_item_id = current_lines.item_id
    left join previous_lines
        on
            paired.customer_id = previous_lines.customer_id
            and paired.month_index = previous_lines.movement_month_index
            and paired.previous_subscription_id = previous_lines.subscription_id
            and paired.previous_item_id = previous_lines.item_id
),

final as (
    -- A kept line whose terms and fx rate did not change has no movement: drop it here, so the
    -- decomposition only runs on lines that changed.
    select * from compared
    where
        line_change != 'kept'
        or from_plan_id != to_plan_id
        or unit_amount_0 != unit_amount_1
        or quantity_0 != quantity_1
        or discount_percent_0 != discount_percent_1
        or discount_amount_0 != discount_amount_1
        or factor_numerator_0 != factor_numerator_1
        or factor_denominator_0 != factor_denominator_1
        or rate_0 != rate_1
)

select * from final
