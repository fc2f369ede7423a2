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

        Reads the per-customer-month flows of int_customer_month_flows (plus dim_customers, the
        upgrade movements and, for subscription_ids held by several customers, their lines).
        Every row of it looks back, never ahead: a period's 12-month cohort is read from its
        rows 12 months before the period's last month (MRR then) and in that month (MRR now,
        for the customers with MRR 12 months before), and its sticky expansion from the rows
        expansion_retention_months after its months (retained_expansion_mrr).
    -#}
    {% set upgrade_types = mrr_engine.upgrade_movement_types() %}
    {% set horizon = mrr_engine.expansion_retention_months() %}
    {% set months_per_period = mrr_engine.months_per_period(period) %}
    {#- the first month of a month's period (cast: PostgreSQL can type month_index as a double) -#}
    {% set period_first_month -%}
        (cast(month_index as integer) - cast(month_index as integer) % {{ months_per_period }})
    {%- endset %}
    {#-
        Each relation over int_customer_month_flows is read by one CTE only, so that no engine
        keeps a copy of the large table, and it is aggregated straight to periods and segments;
        only the customer-months with a movement other than fx are aggregated per customer, for
        the distinct customer counts and the start-set figures (for a month, each of them is
        already one customer's: it is read as it is, in the start set when it had MRR the month
        before).
    -#}

with

months as (
    select * from {{ ref('int_months') }}
),

all_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
),

all_moving_customer_months as (
    -- months with a movement other than fx (or an upgrade or a reactivation, whatever their
    -- category): the only ones that enter the distinct customer counts and start-set figures
    select * from {{ ref('int_customer_month_flows') }}
    where has_non_fx_movement or has_upgrade or is_reactivated
),

all_started_customer_months as (
    -- months in which a customer's MRR starts (new or reactivation): the first month with MRR is
    -- one (read whole: the first month with MRR starts the first period)
    select * from {{ ref('int_customer_month_flows') }}
    where previous_mrr = 0 and mrr > 0
),

{% if months_per_period > 1 %}

    all_continued_customer_months as (
        -- months after a month with MRR: the start set S of a period is read from its first month
        select * from {{ ref('int_customer_month_flows') }}
        where previous_mrr > 0
    ),

{% endif %}

all_subscribed_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
    where subscriptions_with_mrr > 0
),

all_cohort_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
    where mrr > 0
),

all_retaining_customer_months as (
    -- months holding an expansion of expansion_retention_months before that stuck: it counts in
    -- the period of that earlier month
    select * from {{ ref('int_customer_month_flows') }}
    where retained_expansion_mrr > 0
),

all_shared_customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
    where has_shared_subscription
),

all_line_months as (
    select * from {{ ref('int_line_months') }}
),

all_upgrade_movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where movement_type in {{ upgrade_types }}
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

segmented_customer_months as (
    {{ mrr_engine.with_segment('all_customer_months', segment_column) }}
),

customer_months as (
    -- each customer-month with its period: the calendar period's first month, and its last
    -- month or the as-of month (there are no customer-months before the first month with MRR or
    -- after the as-of month, so a computed period needs no join with the month spine)
    select
        *,
        cast({{ dbt.date_trunc(period, 'month') }} as date) as period_start,
        {{ period_first_month }} as first_month_index,
        case
            when {{ period_first_month }} + {{ months_per_period - 1 }} < {{ mrr_engine.as_of_month_index() }}
                then {{ period_first_month }} + {{ months_per_period - 1 }}
            else {{ mrr_engine.as_of_month_index() }}
        end as last_month_index
    from segmented_customer_months
),

moving_customer_months as (
    {{ mrr_engine.with_segment('all_moving_customer_months', segment_column) }}
),

subscribed_customer_months as (
    {{ mrr_engine.with_segment('all_subscribed_customer_months', segment_column) }}
),

cohort_customer_months as (
    {{ mrr_engine.with_segment('all_cohort_customer_months', segment_column) }}
),

retaining_customer_months as (
    {{ mrr_engine.with_segment('all_retaining_customer_months', segment_column) }}
),

shared_line_months as {{ mrr_engine.cte_materialized() }} (
    -- the lines of the customer-months holding a subscription_id that another customer also
    -- holds: their subscriptions are counted distinct, every other one has a single holder.
    -- Computed on its own (cte_materialized()): DuckDB otherwise joined all the line-months with
    -- the periods before keeping these few (4 s of CPU in the segmented mart at 1,000,000).
    select
        all_line_months.customer_id,
        all_line_months.month_index,
        all_line_months.subscription_id
    from all_line_months
    where exists (
        select 1 from all_shared_customer_months
        where
            all_shared_customer_months.customer_id = all_line_months.customer_id
            and all_shared_customer_months.month_index = all_line_months.month_index
    )
),

line_months as (
    {{ mrr_engine.with_segment('shared_line_months', segment_column) }}
),

upgrade_movements as (
    {{ mrr_engine.with_segment('all_upgrade_movements', segment_column) }}
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
    select min(month_index) as first_month_index from all_started_customer_months
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
    -- the rows of the result
    select
        periods.*,
        segments.segment
    from periods
    cross join segments
),

period_totals as (
    -- what every customer-month adds to its period: flows, the start (previous MRR in the
    -- period's first month), the end (MRR in its last month), its 12-month cohort's MRR now (in
    -- its last month) and the expansions that can be judged for stickiness (once the month
    -- expansion_retention_months later is not past the as-of month)
    select
        customer_months.period_start,
        customer_months.segment,
        sum(case
            when customer_months.month_index = customer_months.first_month_index
                then customer_months.previous_mrr
            else 0
        end) as starting_mrr,
        count(case
            when customer_months.month_index = customer_months.first_month_index and customer_months.previous_mrr > 0
                then 1
        end) as customers_start,
        sum(case
            when customer_months.month_index = customer_months.last_month_index then customer_months.mrr else 0
        end) as ending_mrr,
        count(case
            when customer_months.month_index = customer_months.last_month_index and customer_months.mrr > 0
                then 1
        end) as customers_end,
        sum(customer_months.new_mrr) as new_mrr,
        sum(customer_months.reactivation_mrr) as reactivation_mrr,
        sum(customer_months.expansion_mrr) as expansion_mrr,
        sum(customer_months.contraction_mrr) as contraction_mrr,
        sum(customer_months.churned_mrr) as churned_mrr,
        sum(customer_months.fx_mrr) as fx_mrr,
        sum(customer_months.upgrade_mrr) as upgrade_mrr,
        sum(customer_months.downgrade_mrr) as downgrade_mrr,
        sum(case
            when customer_months.month_index = customer_months.last_month_index and customer_months.mrr_12_months_before > 0
                then customer_months.mrr
            else 0
        end) as cohort_mrr_now,
        sum(case
            when customer_months.month_index = customer_months.last_month_index and customer_months.mrr_12_months_before > 0
                then case
                    when customer_months.mrr > customer_months.mrr_12_months_before
                        then customer_months.mrr_12_months_before
                    else customer_months.mrr
                end
            else 0
        end) as cohort_capped_mrr_now,
        sum(case
            when
                customer_months.has_expansion
                and customer_months.month_index + {{ horizon }} <= {{ mrr_engine.as_of_month_index() }}
                then customer_months.expansion_mrr
            else 0
        end) as expansion_judged_mrr,
        count(case
            when
                customer_months.has_expansion
                and customer_months.month_index + {{ horizon }} <= {{ mrr_engine.as_of_month_index() }}
                then 1
        end) as judged_expansions
    from customer_months
    group by 1, 2
),

{% if months_per_period == 1 %}

    customer_period_starts as (
        -- one row per month, segment and customer with a movement other than fx in the month:
        -- each such customer-month, in the start set S when it had MRR at the end of the month
        -- before (the grouping and the join of longer periods, below, would give the same rows)
        select
            month as period_start,
            segment,
            customer_id,
            case when has_upgrade then 1 else 0 end as has_upgrade,
            case when is_new then 1 else 0 end as is_new,
            case when is_reactivated then 1 else 0 end as is_reactivated,
            case when is_churned then 1 else 0 end as is_churned,
            non_fx_mrr_change,
            contraction_mrr,
            churned_mrr,
            previous_mrr > 0 as is_in_start_set
        from moving_customer_months
    ),

{% else %}

    customer_starts as (
        -- the start set S of each period: the customers with MRR at the end of the month before it
        -- (read in the calendar period's first month; the first period starts with the first month
        -- with MRR, when no customer has MRR before)
        select
            cast({{ dbt.date_trunc(period, 'month') }} as date) as period_start,
            customer_id
        from all_continued_customer_months
        where cast(month_index as integer) % {{ months_per_period }} = 0
    ),

    customer_period_flows as (
        -- one row per period, segment and customer with a movement other than fx in the period
        select
            cast({{ dbt.date_trunc(period, 'moving_customer_months.month') }} as date) as period_start,
            moving_customer_months.segment,
            moving_customer_months.customer_id,
            max(case when moving_customer_months.has_upgrade then 1 else 0 end) as has_upgrade,
            max(case when moving_customer_months.is_new then 1 else 0 end) as is_new,
            max(case when moving_customer_months.is_reactivated then 1 else 0 end) as is_reactivated,
            max(case when moving_customer_months.is_churned then 1 else 0 end) as is_churned,
            sum(moving_customer_months.non_fx_mrr_change) as non_fx_mrr_change,
            sum(moving_customer_months.contraction_mrr) as contraction_mrr,
            sum(moving_customer_months.churned_mrr) as churned_mrr
        from moving_customer_months
        group by 1, 2, 3
    ),

    customer_period_starts as (
        select
            customer_period_flows.*,
            customer_starts.customer_id is not null as is_in_start_set
        from customer_period_flows
        left join customer_starts
            on
                customer_period_flows.period_start = customer_starts.period_start
                and customer_period_flows.customer_id = customer_starts.customer_id
    ),

{% endif %}

customer_counts as (
    select
        period_start,
        segment,
        count(case when has_upgrade = 1 then 1 end) as upgrading_customers,
        count(case when has_upgrade = 1 and is_in_start_set then 1 end) as upgrading_customers_from_start,
        sum(case when is_in_start_set then non_fx_mrr_change else 0 end) as start_set_net_change,
        -sum(case when is_in_start_set then contraction_mrr + churned_mrr else 0 end) as start_set_losses,
        sum(case when is_in_start_set then churned_mrr else 0 end) as start_set_churned_mrr,
        count(case when is_new = 1 then 1 end) as new_customers,
        count(case when is_reactivated = 1 then 1 end) as reactivated_customers,
        count(case when is_churned = 1 then 1 end) as churned_customers,
        count(case when is_churned = 1 and is_in_start_set then 1 end) as churned_customers_from_start
    from customer_period_starts
    group by 1, 2
),

upgrade_subscriptions as (
    select
        periodized_months.period_start,
        upgrade_movements.segment,
        upgrade_movements.subscription_id,
        coalesce(customer_period_starts.is_in_start_set, false) as is_in_start_set
    from upgrade_movements
    inner join periodized_months
        on upgrade_movements.month = periodized_months.month
    left join customer_period_starts
        on
            periodized_months.period_start = customer_period_starts.period_start
            and upgrade_movements.customer_id = customer_period_starts.customer_id
),

upgrade_subscription_counts as (
    select
        period_start,
        segment,
        count(distinct subscription_id) as upgrading_subscriptions,
        count(distinct case when is_in_start_set then subscription_id end)
            as upgrading_subscriptions_from_start
    from upgrade_subscriptions
    group by 1, 2
),

flows as (
    -- every period and segment gets a row, of zeros when nothing moved
    select
        period_segments.period_start,
        period_segments.segment,
        {% for amount in [
            'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr', 'fx_mrr',
            'upgrade_mrr', 'downgrade_mrr'
        ] %}
            coalesce(period_totals.{{ amount }}, 0) as {{ amount }},
        {% endfor %}
        {% for figure in [
            'upgrading_customers', 'upgrading_customers_from_start', 'start_set_net_change',
            'start_set_losses', 'start_set_churned_mrr', 'new_customers', 'reactivated_customers',
            'churned_customers', 'churned_customers_from_start'
        ] %}
            coalesce(customer_counts.{{ figure }}, 0) as {{ figure }},
        {% endfor %}
        coalesce(upgrade_subscription_counts.upgrading_subscriptions, 0) as upgrading_subscriptions,
        coalesce(upgrade_subscription_counts.upgrading_subscriptions_from_start, 0)
            as upgrading_subscriptions_from_start
    from period_segments
    {% for per_period in ['period_totals', 'customer_counts', 'upgrade_subscription_counts'] %}
        left join {{ per_period }}
            on
                period_segments.period_start = {{ per_period }}.period_start
                and period_segments.segment = {{ per_period }}.segment
    {% endfor %}
),

starts as (
    select
        period_start,
        segment,
        starting_mrr,
        customers_start
    from period_totals
    where customers_start > 0
),

ends as (
    select
        period_start,
        segment,
        ending_mrr,
        customers_end
    from period_totals
    where customers_end > 0
),

retained_expansions as (
    -- the expansion MRR whose customer still had at least the MRR it reached (its MRR at the end
    -- of the expansion month) expansion_retention_months later, by the period of the expansion
    select
        cast({{ dbt.date_trunc(
            period, 'cast(' ~ dbt.dateadd('month', -horizon, 'retaining_customer_months.month') ~ ' as date)'
        ) }} as date) as period_start,
        retaining_customer_months.segment,
        sum(retaining_customer_months.retained_expansion_mrr) as expansion_retained_mrr
    from retaining_customer_months
    group by 1, 2
),

sticky_expansion as (
    -- the stuck expansion MRR out of the expansion MRR that can already be judged; no row when
    -- there is none
    select
        period_totals.period_start,
        period_totals.segment,
        coalesce(retained_expansions.expansion_retained_mrr, 0) as expansion_retained_mrr,
        period_totals.expansion_judged_mrr
    from period_totals
    left join retained_expansions
        on
            period_totals.period_start = retained_expansions.period_start
            and period_totals.segment = retained_expansions.segment
    where period_totals.judged_expansions > 0
),

twelve_month_cohorts_now as (
    select
        period_start,
        segment,
        cohort_mrr_now,
        cohort_capped_mrr_now
    from period_totals
),

subscription_starts as (
    -- distinct subscription_ids with MRR at the end of the month before the period: those with
    -- a single holder counted by their holder, the shared ones counted distinct
    select
        period_start,
        segment,
        cast(sum(subscriptions_start) as {{ dbt.type_bigint() }}) as subscriptions_start
    from (
        select
            periods.period_start,
            subscribed_customer_months.segment,
            subscribed_customer_months.subscriptions_with_mrr as subscriptions_start
        from subscribed_customer_months
        inner join periods
            on subscribed_customer_months.month_index = periods.first_month_index - 1
        where not subscribed_customer_months.has_shared_subscription

        union all

        select
            periods.period_start,
            line_months.segment,
            count(distinct line_months.subscription_id) as subscriptions_start
        from line_months
        inner join periods
            on line_months.month_index = periods.first_month_index - 1
        group by 1, 2
    ) as holders
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
    -- the customers with MRR 12 months before a period's last month: their MRR then (their MRR
    -- now is in twelve_month_cohorts_now)
    select
        cohort_customer_months.month_index + 12 as month_index,
        cohort_customer_months.segment,
        sum(cohort_customer_months.mrr) as cohort_mrr_then
    from cohort_customer_months
    where cohort_customer_months.month_index + 12 <= {{ mrr_engine.as_of_month_index() }}
    group by 1, 2
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
        {{ mrr_engine.safe_divide(
            'coalesce(twelve_month_cohorts_now.cohort_mrr_now, 0)', 'twelve_month_cohorts.cohort_mrr_then'
        ) }} as nrr_12m,
        {{ mrr_engine.safe_divide(
            'coalesce(twelve_month_cohorts_now.cohort_capped_mrr_now, 0)', 'twelve_month_cohorts.cohort_mrr_then'
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
    {% for per_period in [
        'starts', 'ends', 'flows', 'subscription_starts', 'first_upgrades', 'sticky_expansion', 'twelve_month_cohorts_now'
    ] %}
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
