{% macro mrr_metrics(period, segment_column=none) %}
    {#-
        The body of metrics_mrr_<period>ly: one row per period ('month', 'quarter' or 'year')
        from the one holding the first month with MRR to the one holding the as-of month.

        S is the set of customers with MRR at the end of the month before the period starts.
        Bridge flows are summed over the period's months; starting figures are taken at its start,
        ending figures at its end (the as-of month for the last period), distinct counts over the
        period. Retention rates (nrr, grr, logo and revenue churn, upgrade rates) count only the
        customers in S, so a customer won and lost within a period does not move them. For a
        month this is the same as the plain monthly definitions, because only customers in S can
        expand, contract or churn in a month. nrr_12m and grr_12m are those of the period's last
        month.

        With segment_column (a customer attribute), every figure is computed per segment: one row
        per period and segment, each customer counted in its segment ('unknown' when empty).
        Without it, the segment key is the constant 'all' and is left out of the result.
    -#}
    {% set upgrade_types = mrr_engine.upgrade_movement_types() %}

with

months as (
    select * from {{ ref('int_months') }}
),

all_customer_months as (
    select * from {{ ref('int_customer_months') }}
),

all_line_months as (
    select * from {{ ref('int_line_months') }}
),

all_movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

all_customers as (
    select * from {{ ref('dim_customers') }}
),

customer_segments as (
    select
        customer_id,
        {{ mrr_engine.customer_segment('all_customers', segment_column) }} as segment
    from all_customers
),

customer_months as (
    {{ mrr_engine.with_segment('all_customer_months', segment_column) }}
),

line_months as (
    {{ mrr_engine.with_segment('all_line_months', segment_column) }}
),

movements as (
    {{ mrr_engine.with_segment('all_movements', segment_column) }}
),

customers as (
    select
        all_customers.customer_id,
        all_customers.first_upgrade_month,
        all_customers.months_to_first_upgrade,
        customer_segments.segment
    from all_customers
    inner join customer_segments
        on all_customers.customer_id = customer_segments.customer_id
),

segments as (
    {% if segment_column %}
        select distinct segment from customer_segments
    {% else %}
        select 'all' as segment
    {% endif %}
),

first_mrr as (
    select min(month_index) as first_month_index from customer_months
),

periodized_months as (
    select
        months.month,
        months.month_index,
        cast({{ dbt.date_trunc(period, 'months.month') }} as date) as period_start
    from months
    cross join first_mrr
    where months.month_index >= first_mrr.first_month_index
),

periods as (
    select
        period_start,
        min(month_index) as first_month_index,
        max(month_index) as last_month_index,
        count(*) as months_in_period
    from periodized_months
    group by 1
),

period_segments as (
    select
        periods.*,
        segments.segment
    from periods
    cross join segments
),

customer_starts as (
    select
        periods.period_start,
        customer_months.segment,
        customer_months.customer_id,
        customer_months.previous_mrr as starting_mrr
    from customer_months
    inner join periods
        on customer_months.month_index = periods.first_month_index
    where customer_months.previous_mrr > 0
),

customer_ends as (
    select
        periods.period_start,
        customer_months.segment,
        customer_months.customer_id,
        customer_months.mrr as ending_mrr
    from customer_months
    inner join periods
        on customer_months.month_index = periods.last_month_index
    where customer_months.mrr > 0
),

subscription_starts as (
    select
        periods.period_start,
        line_months.segment,
        count(distinct line_months.subscription_id) as subscriptions_start
    from line_months
    inner join periods
        on line_months.month_index = periods.first_month_index - 1
    group by 1, 2
),

period_movements as (
    select
        movements.*,
        periodized_months.period_start,
        customer_starts.customer_id is not null as is_in_start_set,
        movements.movement_type in {{ upgrade_types }} as is_upgrade
    from movements
    inner join periodized_months
        on movements.month = periodized_months.month
    left join customer_starts
        on
            periodized_months.period_start = customer_starts.period_start
            and movements.customer_id = customer_starts.customer_id
),

flows as (
    -- every period and segment gets a row, of zeros when nothing moved
    select
        period_segments.period_start,
        period_segments.segment,
        sum(case when movement_category = 'new' then mrr_amount else 0 end) as new_mrr,
        sum(case when movement_category = 'reactivation' then mrr_amount else 0 end) as reactivation_mrr,
        sum(case when movement_category = 'expansion' then mrr_amount else 0 end) as expansion_mrr,
        -sum(case when movement_category = 'contraction' then mrr_amount else 0 end) as contraction_mrr,
        -sum(case when movement_category = 'churn' then mrr_amount else 0 end) as churned_mrr,
        sum(case when movement_category = 'fx' then mrr_amount else 0 end) as fx_mrr,
        sum(case when is_upgrade then mrr_amount else 0 end) as upgrade_mrr,
        -sum(case when movement_type = 'downgrade' then mrr_amount else 0 end) as downgrade_mrr,
        count(distinct case when is_upgrade then customer_id end) as upgrading_customers,
        count(distinct case when is_upgrade then subscription_id end) as upgrading_subscriptions,
        count(distinct case when is_upgrade and is_in_start_set then customer_id end)
            as upgrading_customers_from_start,
        count(distinct case when is_upgrade and is_in_start_set then subscription_id end)
            as upgrading_subscriptions_from_start,
        sum(case
            when is_in_start_set and movement_category != 'fx' then mrr_amount else 0
        end) as start_set_net_change,
        sum(case
            when is_in_start_set and movement_category in ('contraction', 'churn') then mrr_amount
            else 0
        end) as start_set_losses,
        -sum(case
            when is_in_start_set and movement_category = 'churn' then mrr_amount else 0
        end) as start_set_churned_mrr,
        count(distinct case when movement_category = 'new' then customer_id end) as new_customers,
        count(distinct case when movement_type = 'reactivation' then customer_id end)
            as reactivated_customers,
        count(distinct case when movement_category = 'churn' then customer_id end) as churned_customers,
        count(distinct case when movement_category = 'churn' and is_in_start_set then customer_id end)
            as churned_customers_from_start
    from period_segments
    left join period_movements
        on
            period_segments.period_start = period_movements.period_start
            and period_segments.segment = period_movements.segment
    group by 1, 2
),

starts as (
    select
        period_start,
        segment,
        sum(starting_mrr) as starting_mrr,
        count(*) as customers_start
    from customer_starts
    group by 1, 2
),

ends as (
    select
        period_start,
        segment,
        sum(ending_mrr) as ending_mrr,
        count(*) as customers_end
    from customer_ends
    group by 1, 2
),

first_upgrades as (
    select
        cast({{ dbt.date_trunc(period, 'first_upgrade_month') }} as date) as period_start,
        segment,
        avg(cast(months_to_first_upgrade as {{ mrr_engine.type_rate() }})) as avg_months_to_first_upgrade
    from customers
    where first_upgrade_month is not null
    group by 1, 2
),

twelve_month_cohorts as (
    select
        earlier.month_index + 12 as month_index,
        earlier.segment,
        sum(earlier.mrr) as cohort_mrr_then,
        sum(coalesce(later.mrr, 0)) as cohort_mrr_now,
        sum(case
            when later.mrr is null then 0
            when later.mrr < earlier.mrr then later.mrr
            else earlier.mrr
        end) as cohort_capped_mrr_now
    from customer_months as earlier
    left join customer_months as later
        on
            earlier.customer_id = later.customer_id
            and later.month_index = earlier.month_index + 12
    where earlier.mrr > 0
    group by 1, 2
),

sticky_expansion as (
    {{ mrr_engine.sticky_expansion(period) }}
),

final as (
    select
        period_segments.period_start as {{ period }},
        {% if segment_column %}period_segments.segment,{% endif %}
        period_segments.months_in_period,
        cast(coalesce(starts.starting_mrr, 0) as {{ mrr_engine.type_money() }}) as starting_mrr,
        cast(coalesce(flows.new_mrr, 0) as {{ mrr_engine.type_money() }}) as new_mrr,
        cast(coalesce(flows.reactivation_mrr, 0) as {{ mrr_engine.type_money() }}) as reactivation_mrr,
        cast(coalesce(flows.expansion_mrr, 0) as {{ mrr_engine.type_money() }}) as expansion_mrr,
        cast(coalesce(flows.contraction_mrr, 0) as {{ mrr_engine.type_money() }}) as contraction_mrr,
        cast(coalesce(flows.churned_mrr, 0) as {{ mrr_engine.type_money() }}) as churned_mrr,
        cast(coalesce(flows.fx_mrr, 0) as {{ mrr_engine.type_money() }}) as fx_mrr,
        cast(coalesce(ends.ending_mrr, 0) as {{ mrr_engine.type_money() }}) as ending_mrr,
        cast(coalesce(ends.ending_mrr, 0) - coalesce(starts.starting_mrr, 0)
            as {{ mrr_engine.type_money() }}) as net_new_mrr,
        cast(coalesce(ends.ending_mrr, 0) * 12 as {{ mrr_engine.type_money() }}) as arr,
        cast(coalesce(flows.upgrade_mrr, 0) as {{ mrr_engine.type_money() }}) as upgrade_mrr,
        cast(coalesce(flows.downgrade_mrr, 0) as {{ mrr_engine.type_money() }}) as downgrade_mrr,
        coalesce(flows.upgrading_customers, 0) as upgrading_customers,
        coalesce(flows.upgrading_subscriptions, 0) as upgrading_subscriptions,
        coalesce(starts.customers_start, 0) as customers_start,
        coalesce(ends.customers_end, 0) as customers_end,
        coalesce(subscription_starts.subscriptions_start, 0) as subscriptions_start,
        coalesce(flows.new_customers, 0) as new_customers,
        coalesce(flows.reactivated_customers, 0) as reactivated_customers,
        coalesce(flows.churned_customers, 0) as churned_customers,
        {{ mrr_engine.safe_divide('flows.expansion_mrr', 'starts.starting_mrr') }} as expansion_mrr_rate,
        {{ mrr_engine.safe_divide('flows.upgrade_mrr', 'starts.starting_mrr') }} as upgrade_mrr_rate,
        {{ mrr_engine.safe_divide('flows.upgrading_customers_from_start', 'starts.customers_start') }}
            as customer_upgrade_rate,
        {{ mrr_engine.safe_divide(
            'flows.upgrading_subscriptions_from_start', 'subscription_starts.subscriptions_start'
        ) }} as subscription_upgrade_rate,
        case
            when flows.upgrading_customers > 0
                then {{ mrr_engine.round_ratio_to_cents('flows.upgrade_mrr', 'flows.upgrading_customers') }}
        end as average_upgrade_value,
        first_upgrades.avg_months_to_first_upgrade,
        {{ mrr_engine.safe_divide('starts.starting_mrr + flows.start_set_net_change', 'starts.starting_mrr') }}
            as nrr,
        {{ mrr_engine.safe_divide('starts.starting_mrr + flows.start_set_losses', 'starts.starting_mrr') }}
            as grr,
        {{ mrr_engine.safe_divide('twelve_month_cohorts.cohort_mrr_now', 'twelve_month_cohorts.cohort_mrr_then') }}
            as nrr_12m,
        {{ mrr_engine.safe_divide(
            'twelve_month_cohorts.cohort_capped_mrr_now', 'twelve_month_cohorts.cohort_mrr_then'
        ) }} as grr_12m,
        {{ mrr_engine.safe_divide(
            'flows.new_mrr + flows.reactivation_mrr + flows.expansion_mrr',
            'flows.contraction_mrr + flows.churned_mrr'
        ) }} as quick_ratio,
        {{ mrr_engine.safe_divide('flows.churned_customers_from_start', 'starts.customers_start') }}
            as logo_churn_rate,
        {{ mrr_engine.safe_divide('flows.start_set_churned_mrr', 'starts.starting_mrr') }}
            as revenue_churn_rate,
        case
            when ends.customers_end > 0
                then {{ mrr_engine.round_ratio_to_cents('ends.ending_mrr', 'ends.customers_end') }}
        end as arpa,
        {{ mrr_engine.expansion_retention_months() }} as expansion_retention_months,
        cast(sticky_expansion.expansion_retained_mrr as {{ mrr_engine.type_money() }})
            as expansion_retained_3m_mrr,
        {{ mrr_engine.safe_divide(
            'sticky_expansion.expansion_retained_mrr', 'sticky_expansion.expansion_judged_mrr'
        ) }} as expansion_retained_3m_rate
    from period_segments
    {% for per_period in ['starts', 'ends', 'flows', 'subscription_starts', 'first_upgrades', 'sticky_expansion'] %}
        left join {{ per_period }}
            on
                period_segments.period_start = {{ per_period }}.period_start
                and period_segments.segment = {{ per_period }}.segment
    {% endfor %}
    left join twelve_month_cohorts
        on
            period_segments.last_month_index = twelve_month_cohorts.month_index
            and period_segments.segment = twelve_month_cohorts.segment
)

select * from final
{% endmacro %}
