-- One row per customer that has had MRR: when it started, what it pays at the as-of month and on
-- which plans, when it first upgraded, and its attributes.

with

customer_months as (
    select * from {{ ref('int_customer_months') }}
),

line_months as (
    select * from {{ ref('int_line_months') }}
    where month_index = {{ mrr_engine.as_of_month_index() }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where movement_type in {{ mrr_engine.upgrade_movement_types() }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

lifetimes as (
    select
        customer_id,
        min(month) as first_mrr_month,
        min(month_index) as first_month_index,
        max(case when mrr > 0 then month end) as last_mrr_month,
        sum(case when month_index = {{ mrr_engine.as_of_month_index() }} then mrr else 0 end)
            as current_mrr
    from customer_months
    group by 1
),

current_plans as (
    select
        customer_id,
        {{ mrr_engine.sorted_distinct_list('plan_id', "', '") }} as current_plan_ids
    from line_months
    group by 1
),

first_upgrades as (
    select
        customer_id,
        min(month) as first_upgrade_month
    from movements
    group by 1
),

final as (
    select
        lifetimes.customer_id,
        {{ mrr_engine.select_customer_attributes('customers') }}
        cast(lifetimes.first_mrr_month as date) as first_mrr_month,
        cast(lifetimes.last_mrr_month as date) as last_mrr_month,
        cast(lifetimes.current_mrr as {{ mrr_engine.type_money() }}) as current_mrr,
        lifetimes.current_mrr > 0 as is_active,
        current_plans.current_plan_ids,
        cast(first_upgrades.first_upgrade_month as date) as first_upgrade_month,
        {{ mrr_engine.month_index('first_upgrades.first_upgrade_month') }}
        - lifetimes.first_month_index as months_to_first_upgrade
    from lifetimes
    left join current_plans
        on lifetimes.customer_id = current_plans.customer_id
    left join first_upgrades
        on lifetimes.customer_id = first_upgrades.customer_id
    -- customers is used by the attribute columns, when the input has any
    left join customers  -- noqa: ST11
        on lifetimes.customer_id = customers.customer_id
)

select * from final
