-- One row per customer per month of int_customer_months: the customer's MRR that month and the
-- month before, its movements summed by category with the flags the metrics count (new,
-- reactivated, churned, upgraded, expanded), its subscriptions with MRR at the month end, and its
-- MRR 12 and expansion_retention_months months later. The per-customer-month work of the
-- metrics_mrr_* marts, done once for all of them; segment-independent.
-- Incremental: a build on a built warehouse recomputes the months from
-- rebuild_from_month_index() on and the months whose look-ahead reaches them (12 and
-- expansion_retention_months months before them: rebuilt_month_ranges()), reading only those
-- customer-months and the ones 12 and expansion_retention_months later (looked_at_month_ranges()).

{% set upgrade_types = mrr_engine.upgrade_movement_types() %}
{% set horizon = mrr_engine.expansion_retention_months() %}
{#- a month's row reads the customer's MRR 12 and `horizon` months later -#}
{{ config(mrr_engine.month_incremental_config(looks_ahead=mrr_engine.customer_month_flows_looks_ahead())) }}
{% set looked_at_month_indexes = '1 = 1' %}
{% set rebuilt_month_indexes = '1 = 1' %}
{% set rebuilt_months = '1 = 1' %}
{% if is_incremental() %}
    {#- the rebuilt customer-months and those 12 and `horizon` months after them -#}
    {% set looked_at_month_indexes = mrr_engine.month_ranges_condition(
        mrr_engine.looked_at_month_ranges(), month_index_column='month_index'
    ) %}
    {% set rebuilt_month_indexes = mrr_engine.rebuilt_months_condition(month_index_column='month_index') %}
    {% set rebuilt_months = mrr_engine.rebuilt_months_condition(month_column='month') %}
{% endif %}

with

customer_months as (
    select * from {{ ref('int_customer_months') }}
    where {{ looked_at_month_indexes }}
),

-- int_line_months is read twice, for the subscription counts and for the shared check: one
-- shared read would be kept whole by the engine
line_months as (
    select * from {{ ref('int_line_months') }}
    where {{ rebuilt_month_indexes }}
),

line_months_to_check as (
    select * from {{ ref('int_line_months') }}
    where {{ rebuilt_month_indexes }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where {{ rebuilt_months }}
),

periods_in_force as (
    select * from {{ ref('int_subscription_periods_in_force') }}
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
        line_months_to_check.customer_id,
        line_months_to_check.month_index,
        line_months_to_check.subscription_id
    from line_months_to_check
    inner join shared_subscriptions
        on line_months_to_check.subscription_id = shared_subscriptions.subscription_id
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

customer_subscription_months as (
    select
        customer_id,
        month_index,
        subscription_id
    from line_months
    group by 1, 2, 3
),

subscription_counts as (
    select
        customer_id,
        month_index,
        count(*) as subscriptions_with_mrr
    from customer_subscription_months
    group by 1, 2
),

customer_months_ahead as (
    -- the customer's MRR 12 and expansion_retention_months months later: each frame holds the
    -- one customer-month of that month, if there is one (no row, or a churn month's 0, is no
    -- MRR). One sort of the customer-months serves both, where a self-join per horizon would
    -- hash the whole table again.
    select
        *,
        {% for months, name in [(12, 'mrr_12_months_later'), (horizon, 'mrr_retention_months_later')] %}
            max(mrr) over (
                partition by customer_id
                order by month_index
                range between {{ months }} following and {{ months }} following
            ) as {{ name }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from customer_months
),

rebuilt_customer_months as (
    select * from customer_months_ahead
    where {{ rebuilt_month_indexes }}
),

movement_sums as (
    select
        customer_id,
        month,
        sum(case when movement_category = 'new' then mrr_amount else 0 end) as new_mrr,
        sum(case when movement_category = 'reactivation' then mrr_amount else 0 end) as reactivation_mrr,
        sum(case when movement_category = 'expansion' then mrr_amount else 0 end) as expansion_mrr,
        -sum(case when movement_category = 'contraction' then mrr_amount else 0 end) as contraction_mrr,
        -sum(case when movement_category = 'churn' then mrr_amount else 0 end) as churned_mrr,
        sum(case when movement_category = 'fx' then mrr_amount else 0 end) as fx_mrr,
        sum(case when movement_category != 'fx' then mrr_amount else 0 end) as non_fx_mrr_change,
        sum(case when movement_type in {{ upgrade_types }} then mrr_amount else 0 end) as upgrade_mrr,
        -sum(case when movement_type = 'downgrade' then mrr_amount else 0 end) as downgrade_mrr,
        max(case when movement_category != 'fx' then 1 else 0 end) = 1 as has_non_fx_movement,
        max(case when movement_category = 'new' then 1 else 0 end) = 1 as is_new,
        max(case when movement_type = 'reactivation' then 1 else 0 end) = 1 as is_reactivated,
        max(case when movement_category = 'churn' then 1 else 0 end) = 1 as is_churned,
        max(case when movement_type in {{ upgrade_types }} then 1 else 0 end) = 1 as has_upgrade,
        max(case when movement_category = 'expansion' then 1 else 0 end) = 1 as has_expansion
    from movements
    group by 1, 2
),

final as (
    select
        rebuilt_customer_months.customer_id,
        rebuilt_customer_months.month,
        rebuilt_customer_months.month_index,
        rebuilt_customer_months.customer_status,
        rebuilt_customer_months.mrr,
        rebuilt_customer_months.previous_mrr,
        {% for amount in [
            'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr',
            'fx_mrr', 'non_fx_mrr_change', 'upgrade_mrr', 'downgrade_mrr'
        ] %}
            cast(coalesce(movement_sums.{{ amount }}, 0) as {{ mrr_engine.type_money() }}) as {{ amount }},
        {% endfor %}
        {% for flag in [
            'has_non_fx_movement', 'is_new', 'is_reactivated', 'is_churned', 'has_upgrade', 'has_expansion'
        ] %}
            coalesce(movement_sums.{{ flag }}, false) as {{ flag }},
        {% endfor %}
        coalesce(subscription_counts.subscriptions_with_mrr, 0) as subscriptions_with_mrr,
        sharing_customer_months.customer_id is not null as has_shared_subscription,
        {% for name in ['mrr_12_months_later', 'mrr_retention_months_later'] %}
            cast(coalesce(rebuilt_customer_months.{{ name }}, 0) as {{ mrr_engine.type_money() }})
                as {{ name }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from rebuilt_customer_months
    left join movement_sums
        on
            rebuilt_customer_months.customer_id = movement_sums.customer_id
            and rebuilt_customer_months.month = movement_sums.month
    left join subscription_counts
        on
            rebuilt_customer_months.customer_id = subscription_counts.customer_id
            and rebuilt_customer_months.month_index = subscription_counts.month_index
    left join sharing_customer_months
        on
            rebuilt_customer_months.customer_id = sharing_customer_months.customer_id
            and rebuilt_customer_months.month_index = sharing_customer_months.month_index
)

select * from final
