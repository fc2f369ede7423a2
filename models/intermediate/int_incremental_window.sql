-- One row: the first month this build recomputes (rebuild_from_month_index), the previous
-- build's as-of month, and how many of the previous build's customers this build's customers
-- input gives other attributes (changed_attribute_customers: fct_customer_mrr_monthly is rebuilt
-- whole unless it is 0) or another segment (changed_segment_customers: the same for
-- metrics_mrr_monthly_by_segment), read by the incremental models. Built before anything it
-- compares against is replaced, it compares this build with the one in the database: its
-- settings (every var but the input directory and the as-of date, and
-- incremental_rows_version()), its valid subscription rows
-- and its fx rates. The rebuild starts at the earliest of: the previous as-of month (its
-- snapshot was cut at the previous as-of date), the new as-of month, the first month in which a
-- subscription row's coverage changed, the first month whose fx rate changed. Different
-- settings, quarantine mode or a full refresh rebuild every month (0). Null when there is no
-- previous build.
-- depends_on: {{ ref('stg_subscriptions') }}
-- depends_on: {{ ref('stg_plans') }}
-- depends_on: {{ ref('stg_fx_rates') }}
-- depends_on: {{ ref('stg_customers') }}

{% set settings = {} %}
{% set compared_vars = [
    'reporting_currency', 'reactivation_window_months', 'reactivation_as_expansion',
    'count_add_ons_as_upgrades', 'expansion_retention_months', 'segment_column', 'on_invalid',
] %}
{% for name in compared_vars %}
    {% do settings.update({name: var(name, none) | string}) %}
{% endfor %}
{#- a warehouse whose incremental tables were written by another version of the project's rules -#}
{% do settings.update({'incremental_rows_version': mrr_engine.incremental_rows_version() | string}) %}
{% set settings_text = settings | tojson %}

{% set previous = none %}
{% set old_checked = none %}
{% set old_fx = none %}
{% set old_months = none %}
{% set old_customers = none %}
{% if execute and not flags.FULL_REFRESH %}
    {% set previous = load_relation(this) %}
    {% set old_checked = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_subscription_periods_checked') %}
    {% set old_fx = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_fx_rates_monthly') %}
    {% set old_months = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_months') %}
    {% set old_customers = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='dim_customers') %}
{% endif %}
{% set segment_column = var('segment_column', none) %}
{% set attributes = mrr_engine.customer_attribute_columns() %}
{% set attribute_list = attributes | join(',') %}
{#- the customer attribute columns of the previous build (none when it did not record them) -#}
{% set previous_attributes = none %}
{% if previous is not none
    and 'customer_attributes' in adapter.get_columns_in_relation(previous) | map(attribute='name') | list %}
    {% set previous_attributes = run_query('select customer_attributes from ' ~ previous).rows[0][0] %}
{% endif %}
{% set as_of_month_index = mrr_engine.as_of_month_index() %}

{% if previous is none or old_checked is none or old_fx is none or old_months is none %}

    select
        '{{ settings_text }}' as build_settings,
        {{ as_of_month_index }} as as_of_month_index,
        cast(null as integer) as previous_as_of_month_index,
        cast(null as integer) as rebuild_from_month_index,
        '{{ attribute_list }}' as customer_attributes,
        cast(null as integer) as changed_attribute_customers,
        cast(null as integer) as changed_segment_customers

{% else %}

with

previous_build as (
    select * from {{ previous }}
),

subscriptions as (
    select * from {{ ref('stg_subscriptions') }}
),

plans as (
    select * from {{ ref('stg_plans') }}
),

fx_rates as (
    select * from {{ ref('stg_fx_rates') }}
    where currency != {{ mrr_engine.reporting_currency() }}
),

old_periods as (
    select * from {{ old_checked }}
    where rejection_reason is null
),

old_rates as (
    select * from {{ old_fx }}
    where
        currency != {{ mrr_engine.reporting_currency() }}
        and month_index < (select as_of_month_index from previous_build)
),

old_months as (
    select * from {{ old_months }}
    where month_index < (select as_of_month_index from previous_build)
),

new_periods as (
    select
        subscriptions.subscription_id,
        subscriptions.item_id,
        subscriptions.customer_id,
        subscriptions.plan_id,
        coalesce(plans.product_id, '') as product_id,
        subscriptions.quantity,
        subscriptions.unit_amount,
        subscriptions.currency,
        subscriptions.billing_interval,
        subscriptions.interval_count,
        subscriptions.discount_percent,
        subscriptions.discount_amount,
        subscriptions.is_trial,
        subscriptions.valid_from,
        subscriptions.valid_to
    from subscriptions
    left join plans
        on subscriptions.plan_id = plans.plan_id
),

period_changes as (
    -- a period only in one build changes its months from its start; a period whose end moved
    -- changes them from the earlier end
    select
        min(case
            when old_periods.valid_from is null then {{ mrr_engine.month_index('new_periods.valid_from') }}
            when new_periods.valid_from is null then {{ mrr_engine.month_index('old_periods.valid_from') }}
            else {{ mrr_engine.month_index(
                'least(coalesce(new_periods.valid_to, old_periods.valid_to),'
                ~ ' coalesce(old_periods.valid_to, new_periods.valid_to))'
            ) }}
        end) as first_changed_month_index
    from new_periods
    full outer join old_periods
        on
            new_periods.subscription_id = old_periods.subscription_id
            and new_periods.item_id = old_periods.item_id
            and new_periods.customer_id = old_periods.customer_id
            and new_periods.plan_id = old_periods.plan_id
            and new_periods.product_id = old_periods.product_id
            and new_periods.quantity = old_periods.quantity
            and new_periods.unit_amount = old_periods.unit_amount
            and new_periods.currency = old_periods.currency
            and new_periods.billing_interval = old_periods.billing_interval
            and new_periods.interval_count = old_periods.interval_count
            and new_periods.discount_percent = old_periods.discount_percent
            and new_periods.discount_amount = old_periods.discount_amount
            and new_periods.is_trial = old_periods.is_trial
            and new_periods.valid_from = old_periods.valid_from
    where
        old_periods.valid_from is null
        or new_periods.valid_from is null
        or new_periods.valid_to is distinct from old_periods.valid_to
),

new_rate_candidates as (
    {{ mrr_engine.fx_rate_candidates('fx_rates', 'old_months') }}
),

rate_changes as (
    select min(coalesce(old_rates.month_index, new_rates.month_index)) as first_changed_month_index
    from old_rates
    full outer join (select * from new_rate_candidates where recency = 1) as new_rates
        on
            old_rates.currency = new_rates.currency
            and old_rates.month_index = new_rates.month_index
    where old_rates.rate_to_reporting is distinct from new_rates.rate_to_reporting
),

{% if old_customers is none %}

customer_changes as (
    select
        cast(null as integer) as changed_attribute_customers,
        cast(null as integer) as changed_segment_customers
),

{% else %}

old_customers as (
    select * from {{ old_customers }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

customer_changes as (
    -- the previous build's customers whose attributes, and whose segment, differ in this build's
    -- customers input (a customer missing there has none); attributes cannot be compared when the
    -- attribute columns differ
    select
        {% if previous_attributes == attribute_list %}
            count(case when
                {% for attribute in attributes %}
                    old_customers.{{ attribute }} is distinct from customers.{{ attribute }} or
                {% endfor %}
                1 = 0
                then 1 end)
        {% else %}
            cast(null as integer)
        {% endif %} as changed_attribute_customers,
        count(case
            when {{ mrr_engine.customer_segment(
                'old_customers', segment_column,
                columns=adapter.get_columns_in_relation(old_customers) | map(attribute='name') | map('lower') | list
            ) }} != {{ mrr_engine.customer_segment('customers', segment_column) }}
                then 1
        end) as changed_segment_customers
    from old_customers
    left join customers
        on old_customers.customer_id = customers.customer_id
),

{% endif %}

final as (
    select
        '{{ settings_text }}' as build_settings,
        {{ as_of_month_index }} as as_of_month_index,
        previous_build.as_of_month_index as previous_as_of_month_index,
        case
            when previous_build.build_settings != '{{ settings_text }}' then 0
            when '{{ var("on_invalid", "fail") }}' = 'quarantine' then 0
            else least(
                coalesce(previous_build.as_of_month_index, 0),
                {{ as_of_month_index }},
                coalesce(period_changes.first_changed_month_index, {{ as_of_month_index }}),
                coalesce(rate_changes.first_changed_month_index, {{ as_of_month_index }})
            )
        end as rebuild_from_month_index,
        '{{ attribute_list }}' as customer_attributes,
        customer_changes.changed_attribute_customers,
        customer_changes.changed_segment_customers
    from previous_build
    cross join period_changes
    cross join rate_changes
    cross join customer_changes
)

select * from final

{% endif %}
