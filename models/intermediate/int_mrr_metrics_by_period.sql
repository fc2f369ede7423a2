-- One row per period grain (month, quarter, year), period and segment, from the period holding
-- the first month with MRR to the one holding the as-of month: every figure of the metrics_mrr_*
-- marts. Each metric is defined once, in `final` below; docs/definitions.md ("Metrics") says why.
--
-- Rows with is_by_segment count the customers of one segment (the customer attribute named by var
-- segment_column, 'unknown' when empty); the others, with segment 'all', count every customer.
-- S is the set of customers with MRR at the end of the month before the period: retention rates
-- (nrr, grr, logo and revenue churn, upgrade rates) count only them.

{% set upgrade_types = mrr_engine.upgrade_movement_types() %}
{#- the figures summed from int_customer_periods -#}
{% set customer_period_figures = [
    'starting_mrr', 'customers_start', 'ending_mrr', 'customers_end', 'new_mrr', 'reactivation_mrr',
    'expansion_mrr', 'contraction_mrr', 'churned_mrr', 'fx_mrr', 'upgrade_mrr', 'downgrade_mrr',
    'upgrading_customers', 'upgrading_customers_from_start', 'new_customers', 'reactivated_customers',
    'churned_customers', 'churned_customers_from_start', 'start_set_net_change', 'start_set_losses',
    'start_set_churned_mrr', 'cohort_mrr_now', 'cohort_capped_mrr_now', 'expansion_judged_mrr',
    'judged_expansions', 'expansion_retained_mrr'
] %}
{#- every figure that adds up over segments (each customer is in one): those and the ones with a CTE of their own -#}
{% set additive_figures = customer_period_figures + [
    'cohort_mrr_then', 'single_holder_subscriptions_start', 'first_upgrades', 'months_to_first_upgrade'
] %}

with

period_months as (
    select * from {{ ref('int_period_months') }}
),

customer_periods as (
    select * from {{ ref('int_customer_periods') }}
),

-- the reads of int_customer_month_flows, each for one figure (each relation read by one CTE
-- only, so that no engine keeps a copy of the large table)
started_customer_months as (
    -- months in which a customer's MRR starts (new or reactivation): the first one starts the
    -- first period
    select * from {{ ref('int_customer_month_flows') }}
    where previous_mrr = 0 and mrr > 0
),

segment_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
),

moved_customer_months as (
    -- the customer-months of the upgrade movements, for their segment
    select * from {{ ref('int_customer_month_flows') }}
),

subscribed_customer_months as (
    -- customer-months with subscriptions whose only holder is the customer
    select * from {{ ref('int_customer_month_flows') }}
    where subscriptions_with_mrr > 0 and not has_shared_subscription
),

shared_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
    where has_shared_subscription
),

cohort_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
    where mrr > 0
),

upgraded_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
    where has_upgrade
),

start_set_customer_months as (
    -- customer-months after a month with MRR: a customer is in the start set S of a period when
    -- its row in the period's first calendar month is one
    select * from {{ ref('int_customer_month_flows') }}
    where previous_mrr > 0
),

line_months as (
    select * from {{ ref('int_line_months') }}
),

upgrade_movements as (
    select * from {{ ref('int_mrr_movements') }}
    where movement_type in {{ upgrade_types }}
),

first_mrr as (
    select min(month_index) as first_month_index from started_customer_months
),

periods as (
    -- the periods from the one holding the first month with MRR, with their months since then
    select
        period_months.period_grain,
        period_months.period_start,
        min(period_months.month_index) as first_month_index,
        max(period_months.month_index) as last_month_index,
        count(*) as months_in_period
    from period_months
    cross join first_mrr
    where period_months.month_index >= first_mrr.first_month_index
    group by 1, 2
),

segments as (
    select distinct segment from segment_customer_months
),

-- Figures by segment. Every one of them adds up over the segments (each customer is in one),
-- except the distinct subscription counts, computed below for segments and for all customers.

customer_figures as (
    select
        period_grain,
        period_start,
        segment,
        sum(starting_mrr) as starting_mrr,
        count(case when is_in_start_set then 1 end) as customers_start,
        sum(ending_mrr) as ending_mrr,
        count(case when has_mrr_at_end then 1 end) as customers_end,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(fx_mrr) as fx_mrr,
        sum(upgrade_mrr) as upgrade_mrr,
        sum(downgrade_mrr) as downgrade_mrr,
        count(case when has_upgrade then 1 end) as upgrading_customers,
        count(case when has_upgrade and is_in_start_set then 1 end) as upgrading_customers_from_start,
        count(case when is_new then 1 end) as new_customers,
        count(case when is_reactivated then 1 end) as reactivated_customers,
        count(case when is_churned then 1 end) as churned_customers,
        count(case when is_churned and is_in_start_set then 1 end) as churned_customers_from_start,
        sum(case when is_in_start_set then non_fx_mrr_change else 0 end) as start_set_net_change,
        sum(case when is_in_start_set then contraction_mrr + churned_mrr else 0 end) as start_set_losses,
        sum(case when is_in_start_set then churned_mrr else 0 end) as start_set_churned_mrr,
        sum(cohort_mrr_now) as cohort_mrr_now,
        sum(cohort_capped_mrr_now) as cohort_capped_mrr_now,
        sum(expansion_judged_mrr) as expansion_judged_mrr,
        sum(judged_expansions) as judged_expansions,
        sum(expansion_retained_mrr) as expansion_retained_mrr
    from customer_periods
    group by 1, 2, 3
),

cohort_figures as (
    -- the 12-month cohort of a period: the customers with MRR 12 months before its last month,
    -- their MRR then (their MRR now is in customer_figures)
    select
        periods.period_grain,
        periods.period_start,
        cohort_customer_months.segment,
        sum(cohort_customer_months.mrr) as cohort_mrr_then
    from cohort_customer_months
    inner join periods
        on cohort_customer_months.month_index + 12 = periods.last_month_index
    group by 1, 2, 3
),

single_holder_subscription_figures as (
    -- subscriptions with MRR at the end of the month before the period, held by one customer only:
    -- counted by their holder
    select
        periods.period_grain,
        periods.period_start,
        subscribed_customer_months.segment,
        sum(subscribed_customer_months.subscriptions_with_mrr) as single_holder_subscriptions_start
    from subscribed_customer_months
    inner join periods
        on subscribed_customer_months.month_index = periods.first_month_index - 1
    group by 1, 2, 3
),

first_upgrades as (
    select
        customer_id,
        segment,
        min(month_index) as first_upgrade_month_index,
        min(first_active_index) as first_active_index
    from upgraded_customer_months
    group by 1, 2
),

first_upgrade_figures as (
    -- the customers whose first upgrade is in the period, and the months from their first MRR to it
    select
        period_months.period_grain,
        period_months.period_start,
        first_upgrades.segment,
        count(*) as first_upgrades,
        sum(first_upgrades.first_upgrade_month_index - first_upgrades.first_active_index)
            as months_to_first_upgrade
    from first_upgrades
    inner join period_months
        on first_upgrades.first_upgrade_month_index = period_months.month_index
    group by 1, 2, 3
),

segment_figures as (
    -- every period and segment gets a row, of zeros when nothing moved
    select
        periods.period_grain,
        periods.period_start,
        segments.segment,
        {% for figure in customer_period_figures %}
            coalesce(customer_figures.{{ figure }}, 0) as {{ figure }},
        {% endfor %}
        coalesce(cohort_figures.cohort_mrr_then, 0) as cohort_mrr_then,
        coalesce(single_holder_subscription_figures.single_holder_subscriptions_start, 0)
            as single_holder_subscriptions_start,
        coalesce(first_upgrade_figures.first_upgrades, 0) as first_upgrades,
        coalesce(first_upgrade_figures.months_to_first_upgrade, 0) as months_to_first_upgrade
    from periods
    cross join segments
    {% for figures in [
        'customer_figures', 'cohort_figures', 'single_holder_subscription_figures', 'first_upgrade_figures'
    ] %}
        left join {{ figures }}
            on
                periods.period_grain = {{ figures }}.period_grain
                and periods.period_start = {{ figures }}.period_start
                and segments.segment = {{ figures }}.segment
    {% endfor %}
),

all_figures as (
    -- the same figures for all customers: the sums over the segments
    select
        period_grain,
        period_start,
        {% for figure in additive_figures[:-1] %}
            sum({{ figure }}) as {{ figure }},
        {% endfor %}
        sum({{ additive_figures[-1] }}) as {{ additive_figures[-1] }}
    from segment_figures
    group by 1, 2
),

figures as (
    select
        true as is_by_segment,
        segment_figures.*
    from segment_figures
    union all
    select
        false as is_by_segment,
        period_grain,
        period_start,
        'all' as segment,
        {% for figure in additive_figures[:-1] %}
            {{ figure }},
        {% endfor %}
        {{ additive_figures[-1] }}
    from all_figures
),

-- Distinct subscription counts: a subscription_id can be held by two customers, so these are
-- counted within each segment and among all customers.

shared_line_months as (
    -- the lines of the customer-months holding a subscription_id that another customer also
    -- holds (a few rows)
    select
        line_months.month_index,
        line_months.subscription_id,
        shared_customer_months.segment
    from line_months
    inner join shared_customer_months
        on
            line_months.customer_id = shared_customer_months.customer_id
            and line_months.month_index = shared_customer_months.month_index
),

shared_subscription_starts as (
    -- those with MRR at the end of the month before the period
    select
        periods.period_grain,
        periods.period_start,
        shared_line_months.segment,
        shared_line_months.subscription_id
    from shared_line_months
    inner join periods
        on shared_line_months.month_index = periods.first_month_index - 1
),

upgrade_subscriptions as (
    -- the subscriptions with an upgrade in the period, and whether their customer is in S
    select
        period_months.period_grain,
        period_months.period_start,
        upgrade_movements.subscription_id,
        moved_customer_months.segment,
        start_set_customer_months.customer_id is not null as is_in_start_set
    from upgrade_movements
    inner join period_months
        on upgrade_movements.month = period_months.month
    inner join moved_customer_months
        on
            upgrade_movements.customer_id = moved_customer_months.customer_id
            and upgrade_movements.month = moved_customer_months.month
    left join start_set_customer_months
        on
            upgrade_movements.customer_id = start_set_customer_months.customer_id
            and period_months.first_month_index = start_set_customer_months.month_index
),

subscription_figures as (
    -- within each segment
    select
        true as is_by_segment,
        period_grain,
        period_start,
        segment,
        count(distinct subscription_id) as shared_subscriptions_start,
        0 as upgrading_subscriptions,
        0 as upgrading_subscriptions_from_start
    from shared_subscription_starts
    group by 2, 3, 4
    union all
    select
        true as is_by_segment,
        period_grain,
        period_start,
        segment,
        0 as shared_subscriptions_start,
        count(distinct subscription_id) as upgrading_subscriptions,
        count(distinct case when is_in_start_set then subscription_id end) as upgrading_subscriptions_from_start
    from upgrade_subscriptions
    group by 2, 3, 4
    union all
    -- among all customers
    select
        false as is_by_segment,
        period_grain,
        period_start,
        'all' as segment,
        count(distinct subscription_id) as shared_subscriptions_start,
        0 as upgrading_subscriptions,
        0 as upgrading_subscriptions_from_start
    from shared_subscription_starts
    group by 2, 3
    union all
    select
        false as is_by_segment,
        period_grain,
        period_start,
        'all' as segment,
        0 as shared_subscriptions_start,
        count(distinct subscription_id) as upgrading_subscriptions,
        count(distinct case when is_in_start_set then subscription_id end) as upgrading_subscriptions_from_start
    from upgrade_subscriptions
    group by 2, 3
),

subscription_totals as (
    select
        is_by_segment,
        period_grain,
        period_start,
        segment,
        sum(shared_subscriptions_start) as shared_subscriptions_start,
        sum(upgrading_subscriptions) as upgrading_subscriptions,
        sum(upgrading_subscriptions_from_start) as upgrading_subscriptions_from_start
    from subscription_figures
    group by 1, 2, 3, 4
),

period_figures as (
    select
        figures.*,
        periods.months_in_period,
        cast(
            figures.single_holder_subscriptions_start + coalesce(subscription_totals.shared_subscriptions_start, 0)
            as {{ dbt.type_bigint() }}
        ) as subscriptions_start,
        cast(coalesce(subscription_totals.upgrading_subscriptions, 0) as {{ dbt.type_bigint() }})
            as upgrading_subscriptions,
        cast(coalesce(subscription_totals.upgrading_subscriptions_from_start, 0) as {{ dbt.type_bigint() }})
            as upgrading_subscriptions_from_start
    from figures
    inner join periods
        on
            figures.period_grain = periods.period_grain
            and figures.period_start = periods.period_start
    left join subscription_totals
        on
            figures.is_by_segment = subscription_totals.is_by_segment
            and figures.period_grain = subscription_totals.period_grain
            and figures.period_start = subscription_totals.period_start
            and figures.segment = subscription_totals.segment
),

final as (
    -- every metric, from the period's figures (docs/definitions.md, "Metrics")
    select
        period_grain,
        period_start,
        is_by_segment,
        segment,
        months_in_period,
        cast(starting_mrr as {{ mrr_engine.type_money() }}) as starting_mrr,
        cast(new_mrr as {{ mrr_engine.type_money() }}) as new_mrr,
        cast(reactivation_mrr as {{ mrr_engine.type_money() }}) as reactivation_mrr,
        cast(expansion_mrr as {{ mrr_engine.type_money() }}) as expansion_mrr,
        cast(contraction_mrr as {{ mrr_engine.type_money() }}) as contraction_mrr,
        cast(churned_mrr as {{ mrr_engine.type_money() }}) as churned_mrr,
        cast(fx_mrr as {{ mrr_engine.type_money() }}) as fx_mrr,
        cast(ending_mrr as {{ mrr_engine.type_money() }}) as ending_mrr,
        cast(ending_mrr - starting_mrr as {{ mrr_engine.type_money() }}) as net_new_mrr,
        cast(ending_mrr * 12 as {{ mrr_engine.type_money() }}) as arr,
        cast(upgrade_mrr as {{ mrr_engine.type_money() }}) as upgrade_mrr,
        cast(downgrade_mrr as {{ mrr_engine.type_money() }}) as downgrade_mrr,
        cast(upgrading_customers as {{ dbt.type_bigint() }}) as upgrading_customers,
        upgrading_subscriptions,
        cast(customers_start as {{ dbt.type_bigint() }}) as customers_start,
        cast(customers_end as {{ dbt.type_bigint() }}) as customers_end,
        subscriptions_start,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        {{ mrr_engine.safe_divide('expansion_mrr', 'starting_mrr') }} as expansion_mrr_rate,
        {{ mrr_engine.safe_divide('upgrade_mrr', 'starting_mrr') }} as upgrade_mrr_rate,
        {{ mrr_engine.safe_divide('upgrading_customers_from_start', 'customers_start') }} as customer_upgrade_rate,
        {{ mrr_engine.safe_divide('upgrading_subscriptions_from_start', 'subscriptions_start') }}
            as subscription_upgrade_rate,
        case
            when upgrading_customers > 0
                then {{ mrr_engine.round_to_cents('upgrade_mrr', 'upgrading_customers') }}
        end as average_upgrade_value,
        {{ mrr_engine.safe_divide('months_to_first_upgrade', 'first_upgrades') }} as avg_months_to_first_upgrade,
        -- nrr: constant currency (fx left out), S only; for a month, (starting + expansion -
        -- contraction - churned) / starting
        {{ mrr_engine.safe_divide('starting_mrr + start_set_net_change', 'starting_mrr') }} as nrr,
        {{ mrr_engine.safe_divide('starting_mrr - start_set_losses', 'starting_mrr') }} as grr,
        {{ mrr_engine.safe_divide('cohort_mrr_now', 'cohort_mrr_then') }} as nrr_12m,
        {{ mrr_engine.safe_divide('cohort_capped_mrr_now', 'cohort_mrr_then') }} as grr_12m,
        {{ mrr_engine.safe_divide(
            'new_mrr + reactivation_mrr + expansion_mrr', 'contraction_mrr + churned_mrr'
        ) }} as quick_ratio,
        {{ mrr_engine.safe_divide('churned_customers_from_start', 'customers_start') }} as logo_churn_rate,
        {{ mrr_engine.safe_divide('start_set_churned_mrr', 'starting_mrr') }} as revenue_churn_rate,
        case
            when customers_end > 0
                then {{ mrr_engine.round_to_cents('ending_mrr', 'customers_end') }}
        end as arpa,
        {{ mrr_engine.expansion_retention_months() }} as expansion_retention_months,
        -- sticky expansion: null until an expansion of the period can be judged
        case
            when judged_expansions > 0 then cast(expansion_retained_mrr as {{ mrr_engine.type_money() }})
        end as expansion_retained_mrr,
        case
            when judged_expansions > 0
                then {{ mrr_engine.safe_divide('expansion_retained_mrr', 'expansion_judged_mrr') }}
        end as expansion_retained_rate
    from period_figures
)

select * from final
