-- One row per month, from_plan_id, to_plan_id and transition_type: the plan transition matrix.
-- A plan transition is a line of a continuing customer whose plan changed from the end of the
-- previous month to the end of this one, on the same line or by cancel-and-recreate (switch
-- pairing). Its type comes from the line's plan movement (its upgrade or downgrade: the whole
-- constant-currency change, docs/definitions.md "Plan changes"): upgrade when positive, downgrade
-- when negative, lateral when 0 (the same MRR at the old fx rate), so lateral moves, which make
-- no movement, are counted too.

with

line_changes as (
    select * from {{ ref('int_line_changes') }}
    where
        line_change in ('kept', 'switched')
        and from_plan_id != to_plan_id
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where movement_type in ('upgrade', 'downgrade')
),

plans as (
    select * from {{ ref('stg_plans') }}
),

plan_names as (
    select
        plan_id,
        min(plan_name) as plan_name
    from plans
    group by 1
),

transitions as (
    select
        line_changes.month,
        line_changes.customer_id,
        line_changes.from_plan_id,
        line_changes.to_plan_id,
        line_changes.mrr_0,
        line_changes.mrr_1,
        coalesce(movements.mrr_amount, 0) as plan_change_mrr,
        case
            when movements.mrr_amount > 0 then 'upgrade'
            when movements.mrr_amount < 0 then 'downgrade'
            else 'lateral'
        end as transition_type
    from line_changes
    left join movements
        on
            line_changes.month = movements.month
            and line_changes.customer_id = movements.customer_id
            and line_changes.subscription_id = movements.subscription_id
            and line_changes.item_id = movements.item_id
),

aggregated as (
    select
        month,
        from_plan_id,
        to_plan_id,
        transition_type,
        count(*) as line_changes,
        count(distinct customer_id) as customers,
        sum(plan_change_mrr) as plan_change_mrr,
        sum(mrr_0) as mrr_before,
        sum(mrr_1) as mrr_after
    from transitions
    group by 1, 2, 3, 4
),

final as (
    select
        cast(aggregated.month as date) as month,
        aggregated.from_plan_id,
        from_plans.plan_name as from_plan_name,
        aggregated.to_plan_id,
        to_plans.plan_name as to_plan_name,
        aggregated.transition_type,
        cast(aggregated.line_changes as {{ dbt.type_bigint() }}) as line_changes,
        cast(aggregated.customers as {{ dbt.type_bigint() }}) as customers,
        cast(aggregated.plan_change_mrr as {{ mrr_engine.type_money() }}) as plan_change_mrr,
        cast(aggregated.mrr_before as {{ mrr_engine.type_money() }}) as mrr_before,
        cast(aggregated.mrr_after as {{ mrr_engine.type_money() }}) as mrr_after,
        cast(aggregated.mrr_after - aggregated.mrr_before as {{ mrr_engine.type_money() }}) as mrr_change
    from aggregated
    left join plan_names as from_plans
        on aggregated.from_plan_id = from_plans.plan_id
    left join plan_names as to_plans
        on aggregated.to_plan_id = to_plans.plan_id
)

select * from final
