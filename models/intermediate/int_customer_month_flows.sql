-- One row per customer per month of int_customer_months: the customer's MRR that month and the
-- month before, its movements summed by category with the flags the metrics count (new,
-- reactivated, churned, upgraded, expanded), its subscriptions with MRR at the month end, its MRR
-- 12 months before (for the 12-month cohorts), the part of its expansion that it still holds
-- expansion_retention_months later (sticky expansion) and its segment. The per-customer-month
-- work of the metrics (int_customer_periods, int_mrr_metrics_by_period), done once.

{% set upgrade_types = mrr_engine.upgrade_movement_types() %}
{% set horizon = mrr_engine.expansion_retention_months() %}

with

customer_months as (
    select * from {{ ref('int_customer_months') }}
),

line_months as (
    select * from {{ ref('int_line_months') }}
),

movements as (
    select * from {{ ref('int_mrr_movements') }}
),

expansion_movements as (
    -- read apart, for each month's expansion and the one each row looks back to: a second read
    -- of the movements' import would make the engine keep the whole of it
    select * from {{ ref('int_mrr_movements') }}
    where movement_category = 'expansion'
),

expansion_customer_months as (
    -- read apart too: the customer-months of an expansion, for the MRR it reached (the rows
    -- without one are left out by the join with the expansions)
    select * from {{ ref('int_customer_months') }}
),

later_customer_months as (
    -- and once more: the customer-months expansion_retention_months after an expansion
    select * from {{ ref('int_customer_months') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

periods_in_force as (
    select * from {{ ref('int_subscription_periods_in_force') }}
),

movement_amounts as (
    -- the movements other than fx (a third of them), with their amounts in the intermediate
    -- tables' type: the sums below take a fifth less time on 64-bit decimals than on the mart's
    -- 128-bit ones (docs/scale-history.md, round 9). A customer-month's fx MRR is its MRR change less
    -- these (final, below).
    select
        customer_id,
        month,
        movement_type,
        movement_category,
        cast(mrr_amount as {{ mrr_engine.type_money_intermediate() }}) as mrr_amount
    from movements
    where movement_category != 'fx'
),

shared_subscriptions as (
    -- subscription_ids whose lines belong to more than one customer: only these can be held by
    -- two customers at one month end (a line belongs to one customer, a subscription need not)
    select subscription_id
    from periods_in_force
    group by 1
    having min(customer_id) != max(customer_id)
),

shared_subscription_lines as (
    -- their line-months (a few rows)
    select
        line_months.customer_id,
        line_months.month_index,
        line_months.subscription_id
    from line_months
    inner join shared_subscriptions
        on line_months.subscription_id = shared_subscriptions.subscription_id
),

shared_subscription_months as (
    -- a subscription_id held by more than one customer at a month end
    select
        subscription_id,
        month_index
    from shared_subscription_lines
    group by 1, 2
    having min(customer_id) != max(customer_id)
),

sharing_customer_months as (
    -- the customers holding one of them at that month end
    select distinct
        shared_subscription_lines.customer_id,
        shared_subscription_lines.month_index
    from shared_subscription_lines
    inner join shared_subscription_months
        on
            shared_subscription_lines.subscription_id = shared_subscription_months.subscription_id
            and shared_subscription_lines.month_index = shared_subscription_months.month_index
),

movement_sums as (
    -- one row per customer-month with a movement other than fx
    select
        customer_id,
        month,
        sum(case when movement_category = 'new' then mrr_amount else 0 end) as new_mrr,
        sum(case when movement_category = 'reactivation' then mrr_amount else 0 end) as reactivation_mrr,
        -sum(case when movement_category = 'contraction' then mrr_amount else 0 end) as contraction_mrr,
        -sum(case when movement_category = 'churn' then mrr_amount else 0 end) as churned_mrr,
        sum(mrr_amount) as non_fx_mrr_change,
        sum(case when movement_type in {{ upgrade_types }} then mrr_amount else 0 end) as upgrade_mrr,
        -sum(case when movement_type = 'downgrade' then mrr_amount else 0 end) as downgrade_mrr,
        max(case when movement_category = 'new' then 1 else 0 end) = 1 as is_new,
        max(case when movement_type = 'reactivation' then 1 else 0 end) = 1 as is_reactivated,
        max(case when movement_category = 'churn' then 1 else 0 end) = 1 as is_churned,
        max(case when movement_type in {{ upgrade_types }} then 1 else 0 end) = 1 as has_upgrade
    from movement_amounts
    group by 1, 2
),

expansion_sums as (
    -- each customer-month's expansion MRR (no row: no expansion)
    select
        customer_id,
        month,
        sum(cast(mrr_amount as {{ mrr_engine.type_money_intermediate() }})) as expansion_mrr
    from expansion_movements
    group by 1, 2
),

expansions_retained as (
    -- each customer-month's expansion with the part of it that stuck: all of it when the
    -- customer's MRR expansion_retention_months later is at least the MRR it reached that month
    -- (exactly that MRR counts as kept), none when lower or when the customer has no MRR then (no
    -- row). Expansions too recent to be judged (that month is after the as-of month) have no
    -- later row either: has_judged_expansion leaves them out of the rates.
    select
        expansion_sums.customer_id,
        expansion_sums.month,
        case
            when later.mrr >= reached.mrr then expansion_sums.expansion_mrr else 0
        end as expansion_retained_mrr
    from expansion_sums
    inner join expansion_customer_months as reached
        on
            expansion_sums.customer_id = reached.customer_id
            and expansion_sums.month = reached.month
    left join later_customer_months as later
        on
            reached.customer_id = later.customer_id
            and reached.month_index + {{ horizon }} = later.month_index
),

final as (
    select
        customer_months.customer_id,
        customer_months.month,
        customer_months.month_index,
        customer_months.customer_status,
        customer_months.first_active_index,
        customer_months.mrr,
        customer_months.previous_mrr,
        {% for amount in ['new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr'] %}
            cast(coalesce(
                {{ 'expansion_sums' if amount == 'expansion_mrr' else 'movement_sums' }}.{{ amount }}, 0
            ) as {{ mrr_engine.type_money_intermediate() }}) as {{ amount }},
        {% endfor %}
        -- the fx movements' sum: the MRR change less the other movements (every customer-month's
        -- change is the sum of its movements: assert_customer_mrr_change_equals_its_movements;
        -- the metrics' fx flows are checked against the fx movements themselves:
        -- assert_bridge_holds_and_matches_movements)
        cast(
            customer_months.mrr - customer_months.previous_mrr
            - coalesce(movement_sums.non_fx_mrr_change, 0)
            as {{ mrr_engine.type_money_intermediate() }}
        ) as fx_mrr,
        {% for amount in ['non_fx_mrr_change', 'upgrade_mrr', 'downgrade_mrr'] %}
            cast(coalesce(movement_sums.{{ amount }}, 0) as {{ mrr_engine.type_money_intermediate() }}) as {{ amount }},
        {% endfor %}
        -- movement_sums holds exactly the customer-months with a movement other than fx
        movement_sums.customer_id is not null as has_non_fx_movement,
        {% for flag in ['is_new', 'is_reactivated', 'is_churned', 'has_upgrade'] %}
            coalesce(movement_sums.{{ flag }}, false) as {{ flag }},
        {% endfor %}
        expansion_sums.expansion_mrr is not null as has_expansion,
        expansion_sums.expansion_mrr is not null
        and customer_months.month_index + {{ horizon }} <= {{ mrr_engine.as_of_month_index() }}
            as has_judged_expansion,
        customer_months.subscriptions_with_mrr,
        sharing_customer_months.customer_id is not null as has_shared_subscription,
        cast(coalesce(year_before.mrr, 0) as {{ mrr_engine.type_money_intermediate() }}) as mrr_12_months_before,
        cast(
            coalesce(expansions_retained.expansion_retained_mrr, 0) as {{ mrr_engine.type_money_intermediate() }}
        ) as expansion_retained_mrr,
        {{ mrr_engine.customer_segment('customers', mrr_engine.setting('segment_column', 'segment')) }} as segment
    from customer_months
    left join movement_sums
        on
            customer_months.customer_id = movement_sums.customer_id
            and customer_months.month = movement_sums.month
    left join expansion_sums
        on
            customer_months.customer_id = expansion_sums.customer_id
            and customer_months.month = expansion_sums.month
    left join sharing_customer_months
        on
            customer_months.customer_id = sharing_customer_months.customer_id
            and customer_months.month_index = sharing_customer_months.month_index
    -- the customer's MRR 12 months before (no row: no MRR then). A join: a window frame of
    -- exactly 12 months before sorted the customer-months by customer, and the model took
    -- about 5 s more CPU at 1,000,000 customers (docs/scale-history.md, round 16)
    left join customer_months as year_before
        on
            customer_months.customer_id = year_before.customer_id
            and customer_months.month_index = year_before.month_index + 12
    left join expansions_retained
        on
            customer_months.customer_id = expansions_retained.customer_id
            and customer_months.month = expansions_retained.month
    -- customers is used by the segment, when the input has the segment column
    left join customers  -- noqa: ST11
        on customer_months.customer_id = customers.customer_id
)

select * from final
