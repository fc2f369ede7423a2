-- One row per customer per month of int_customer_months: the customer's MRR that month and the
-- month before, its movements summed by category with the flags the metrics count (new,
-- reactivated, churned, upgraded, expanded), its subscriptions with MRR at the month end, and its
-- MRR 12 and expansion_retention_months months later. The per-customer-month work of the
-- metrics_mrr_* marts, done once for all of them; segment-independent.

{% set upgrade_types = mrr_engine.upgrade_movement_types() %}
{% set horizon = mrr_engine.expansion_retention_months() %}

with

customer_months as (
    select * from {{ ref('int_customer_months') }}
),

-- the same customer-months again, each read once, for the MRR 12 and
-- expansion_retention_months months later (no row, or mrr 0, is no MRR)
twelve_months_later as (
    select * from {{ ref('int_customer_months') }}
    where mrr > 0
),

retention_months_later as (
    select * from {{ ref('int_customer_months') }}
    where mrr > 0
),

line_months as (
    select * from {{ ref('int_line_months') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
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
        customer_subscription_months.customer_id,
        customer_subscription_months.month_index,
        count(*) as subscriptions_with_mrr,
        count(shared_subscriptions.subscription_id) > 0 as has_shared_subscription
    from customer_subscription_months
    left join shared_subscriptions
        on customer_subscription_months.subscription_id = shared_subscriptions.subscription_id
    group by 1, 2
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
        customer_months.customer_id,
        customer_months.month,
        customer_months.month_index,
        customer_months.customer_status,
        customer_months.mrr,
        customer_months.previous_mrr,
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
        coalesce(subscription_counts.has_shared_subscription, false) as has_shared_subscription,
        cast(coalesce(twelve_months_later.mrr, 0) as {{ mrr_engine.type_money() }})
            as mrr_12_months_later,
        cast(coalesce(retention_months_later.mrr, 0) as {{ mrr_engine.type_money() }})
            as mrr_retention_months_later
    from customer_months
    left join movement_sums
        on
            customer_months.customer_id = movement_sums.customer_id
            and customer_months.month = movement_sums.month
    left join subscription_counts
        on
            customer_months.customer_id = subscription_counts.customer_id
            and customer_months.month_index = subscription_counts.month_index
    left join twelve_months_later
        on
            customer_months.customer_id = twelve_months_later.customer_id
            and twelve_months_later.month_index = customer_months.month_index + 12
    left join retention_months_later
        on
            customer_months.customer_id = retention_months_later.customer_id
            and retention_months_later.month_index = customer_months.month_index + {{ horizon }}
)

select * from final
