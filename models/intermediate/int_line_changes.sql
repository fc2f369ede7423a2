-- One row per subscription line of a continuing customer (MRR at the end of both the previous
-- month and this one) whose line set or terms may have changed: a line starting or ending a
-- period in force (matched with the other month's line, or a switch pairing: a line replaced by
-- another of the same product), a line added, a line removed. Each row has the line's terms in
-- both months (state 0 and state 1) and its MRR in both. A line whose period in force continues
-- from the month before has the same terms in both months, so only its fx rate can move it:
-- int_line_change_effects reads that fx movement from int_line_months itself.

{#- the terms compared between the two months, besides the plan and the fx rate -#}
{% set terms = mrr_engine.line_terms() %}

with

-- int_line_months is read twice, each read filtered to the rows it needs (cheaper than one
-- shared read of all of them, which the engine would have to keep)
lines_starting as (
    -- a line with MRR at this month's end but not under the same terms at the one before
    select * from {{ ref('int_line_months') }}
    where previous_mrr_in_period is null or previous_mrr_in_period = 0
),

lines_ending as (
    -- a line with MRR at this month's end but not under the same terms at the next one
    select * from {{ ref('int_line_months') }}
    where not has_next_mrr_in_period
),

other_customer_months as (
    -- the customer-months that do not continue the month before (new, reactivation, churn):
    -- every line of both kinds below has a customer-month in the month of its movements (its
    -- customer has MRR then, or churns then), continuing unless it is one of these. A tenth of
    -- the customer-months, where hashing the continuing ones cost 2-3 s more of CPU at 1,000,000
    -- customers (docs/scale-history.md, round 16)
    select * from {{ ref('int_customer_months') }}
    where customer_status != 'continuing'
),

changing_lines as (
    -- both, each in the month whose movements it may explain (state 1: a line of this month,
    -- state 0: a line of the month before), so that one lookup finds those of continuing
    -- customers (continuing_lines)
    select
        *,
        1 as line_state,
        month_index as movement_month_index,
        month as movement_month
    from lines_starting

    union all

    select
        *,
        0 as line_state,
        month_index + 1 as movement_month_index,
        cast({{ dbt.dateadd('month', 1, 'month') }} as date) as movement_month
    from lines_ending
    -- the as-of month's lines have no month after
    where month_index < {{ mrr_engine.as_of_month_index() }}
),

continuing_lines as (
    select *
    from changing_lines
    where not exists (
            select 1
            from other_customer_months
            where
                other_customer_months.customer_id = changing_lines.customer_id
                and other_customer_months.month_index = changing_lines.movement_month_index
        )
),

current_lines as (
    select * from continuing_lines
    where line_state = 1
),

previous_lines as (
    select * from continuing_lines
    where line_state = 0
),

matched as (
    -- those lines of both months, with their terms in both (state 0: previous month, 1: this one)
    select
        current_lines.subscription_id as current_subscription_id,
        current_lines.item_id as current_item_id,
        previous_lines.subscription_id as previous_subscription_id,
        previous_lines.item_id as previous_item_id,
        coalesce(current_lines.month_index, previous_lines.movement_month_index) as month_index,
        coalesce(current_lines.month, previous_lines.movement_month) as month,
        coalesce(current_lines.customer_id, previous_lines.customer_id) as customer_id,
        coalesce(current_lines.product_id, previous_lines.product_id) as product_id,
        coalesce(current_lines.currency, previous_lines.currency) as currency,
        previous_lines.plan_id as from_plan_id,
        current_lines.plan_id as to_plan_id,
        {% for state, side in [('0', 'previous_lines'), ('1', 'current_lines')] %}
            {% for term in terms %}
                {{ side }}.{{ term }} as {{ term }}_{{ state }},
            {% endfor %}
            {{ side }}.rate_to_reporting as rate_{{ state }},
        {% endfor %}
        coalesce(previous_lines.mrr, 0) as mrr_0,
        coalesce(current_lines.mrr, 0) as mrr_1
    from current_lines
    full outer join previous_lines
        on
            current_lines.customer_id = previous_lines.customer_id
            and current_lines.subscription_id = previous_lines.subscription_id
            and current_lines.item_id = previous_lines.item_id
            and current_lines.month_index = previous_lines.movement_month_index
),

changed as (
    -- A line in both months whose terms and fx rate did not change has no movement: drop it
    -- first, so that pairing and the decomposition only see the lines that changed.
    select * from matched
    where
        current_subscription_id is null
        or previous_subscription_id is null
        or from_plan_id != to_plan_id
        {% for term in terms + ['rate'] %}
            or {{ term }}_0 != {{ term }}_1
        {% endfor %}
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
    from changed
    where previous_subscription_id is null or current_subscription_id is null
),

switch_pairs as (
    -- one line only in the previous month and one only in this one, in one product: one line
    select
        added.month_index,
        added.month,
        added.customer_id,
        added.current_subscription_id,
        added.current_item_id,
        removed.previous_subscription_id,
        removed.previous_item_id,
        added.product_id,
        removed.from_plan_id,
        added.to_plan_id,
        {% for term in terms + ['rate'] %}
            removed.{{ term }}_0,
            added.{{ term }}_1,
        {% endfor %}
        removed.mrr_0,
        added.mrr_1
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
        changed.*,
        case
            when changed.current_subscription_id is null then 'removed'
            when changed.previous_subscription_id is null then 'added'
            else 'kept'
        end as line_change
    from changed
    where not exists (
            select 1
            from switch_pairs
            where
                switch_pairs.customer_id = changed.customer_id
                and switch_pairs.month_index = changed.month_index
                and (
                    (
                        switch_pairs.current_subscription_id = changed.current_subscription_id
                        and switch_pairs.current_item_id = changed.current_item_id
                    )
                    or (
                        switch_pairs.previous_subscription_id = changed.previous_subscription_id
                        and switch_pairs.previous_item_id = changed.previous_item_id
                    )
                )
        )
),

final as (
    {% for source, line_change in [
        ('paired', 'line_change'), ('switch_pairs', "'switched'"),
    ] %}
        select
            month,
            month_index,
            customer_id,
            {{ line_change }} as line_change,
            from_plan_id,
            to_plan_id,
            {% for state in ['0', '1'] %}
                {% for term in terms + ['rate'] %}
                    {{ term }}_{{ state }},
                {% endfor %}
            {% endfor %}
            coalesce(current_subscription_id, previous_subscription_id) as subscription_id,
            coalesce(current_item_id, previous_item_id) as item_id,
            product_id,
            mrr_0,
            mrr_1
        from {{ source }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
