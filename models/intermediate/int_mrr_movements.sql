-- One row per month, customer, subscription line and movement type with a non-zero amount:
-- every dollar of MRR change, explained. The body of the mart fct_mrr_movements, kept here so that
-- the intermediate models that sum movements (int_customer_month_flows, int_mrr_metrics_by_period)
-- read an intermediate model, not a mart.

with

line_months as (
    select * from {{ ref('int_line_months') }}
),

customer_months as (
    select * from {{ ref('int_customer_months') }}
),

line_change_effects as (
    select * from {{ ref('int_line_change_effects') }}
),

movement_types as (
    select * from {{ ref('movement_types') }}
),

starting_and_churned_months as (
    -- the customer-months whose lines move whole: a new or reactivated customer's lines of that
    -- month, and a churned customer's lines of the month before
    select
        customer_id,
        month,
        customer_status as movement_type,
        month_index - case when customer_status = 'churn' then 1 else 0 end as line_month_index
    from customer_months
    where customer_status in ('new', 'reactivation', 'churn')
),

starts_and_churns as (
    -- one join of the line-months for both (two would make the engine keep all of them)
    select
        starting_and_churned_months.month,
        line_months.customer_id,
        line_months.subscription_id,
        line_months.item_id,
        case when starting_and_churned_months.movement_type = 'churn' then line_months.plan_id end
            as from_plan_id,
        case when starting_and_churned_months.movement_type != 'churn' then line_months.plan_id end
            as to_plan_id,
        line_months.product_id,
        starting_and_churned_months.movement_type,
        case
            when starting_and_churned_months.movement_type = 'churn' then -line_months.mrr
            else line_months.mrr
        end as mrr_amount
    from line_months
    inner join starting_and_churned_months
        on
            line_months.customer_id = starting_and_churned_months.customer_id
            and line_months.month_index = starting_and_churned_months.line_month_index
),

movements as (
    select * from starts_and_churns
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
