-- One row per month, customer, subscription line and movement type with a non-zero amount:
-- every dollar of MRR change, explained.
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
    where month_index >= {{ rebuild_from }}
),

line_change_effects as (
    select * from {{ ref('int_line_change_effects') }}
    where month >= {{ mrr_engine.month_literal(rebuild_from) }}
),

movement_types as (
    select * from {{ ref('movement_types') }}
),

starts as (
    select
        customer_months.month,
        line_months.customer_id,
        line_months.subscription_id,
        line_months.item_id,
        cast(null as {{ dbt.type_string() }}) as from_plan_id,
        line_months.plan_id as to_plan_id,
        line_months.product_id,
        customer_months.customer_status as movement_type,
        line_months.mrr as mrr_amount
    from line_months
    inner join customer_months
        on
            line_months.customer_id = customer_months.customer_id
            and line_months.month_index = customer_months.month_index
    where customer_months.customer_status in ('new', 'reactivation')
),

churns as (
    select
        customer_months.month,
        line_months.customer_id,
        line_months.subscription_id,
        line_months.item_id,
        line_months.plan_id as from_plan_id,
        cast(null as {{ dbt.type_string() }}) as to_plan_id,
        line_months.product_id,
        'churn' as movement_type,
        -line_months.mrr as mrr_amount
    from line_months
    inner join customer_months
        on
            line_months.customer_id = customer_months.customer_id
            and line_months.month_index = customer_months.month_index - 1
    where customer_months.customer_status = 'churn'
),

movements as (
    select * from starts
    union all
    select * from churns
    union all
    select * from line_change_effects
),

final as (
    select
        cast(movements.month as date) as month,
        movements.customer_id,
        movements.subscription_id,
        movements.item_id,
        movements.movement_type,
        {{ mrr_engine.movement_category('movements.movement_type', 'movement_types.movement_category') }}
            as movement_category,
        cast(movements.mrr_amount as {{ mrr_engine.type_money() }}) as mrr_amount,
        movements.from_plan_id,
        movements.to_plan_id,
        movements.product_id
    from movements
    inner join movement_types
        on movements.movement_type = movement_types.movement_type
)

select * from final
