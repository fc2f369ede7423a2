-- Invariant: every month, the upgrade (downgrade) rows of fct_plan_transitions hold exactly the
-- upgrade (downgrade) movements of fct_mrr_movements: same number of lines, same amount; lateral
-- rows have no plan movement; and mrr_change = mrr_after - mrr_before.
with

transitions as (
    select * from {{ ref('fct_plan_transitions') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where movement_type in ('upgrade', 'downgrade')
),

transition_totals as (
    select
        month,
        transition_type,
        sum(line_changes) as line_changes,
        sum(plan_change_mrr) as plan_change_mrr
    from transitions
    where transition_type in ('upgrade', 'downgrade')
    group by 1, 2
),

movement_totals as (
    select
        month,
        movement_type as transition_type,
        count(*) as line_changes,
        sum(mrr_amount) as plan_change_mrr
    from movements
    group by 1, 2
),

compared as (
    select
        transition_totals.line_changes as transition_lines,
        movement_totals.line_changes as movement_lines,
        transition_totals.plan_change_mrr as transition_mrr,
        movement_totals.plan_change_mrr as movement_mrr,
        coalesce(transition_totals.month, movement_totals.month) as month,
        coalesce(transition_totals.transition_type, movement_totals.transition_type) as transition_type
    from transition_totals
    full outer join movement_totals
        on
            transition_totals.month = movement_totals.month
            and transition_totals.transition_type = movement_totals.transition_type
)

select
    month,
    transition_type,
    transition_lines,
    movement_lines,
    transition_mrr,
    movement_mrr
from compared
where
    transition_lines is distinct from movement_lines
    or transition_mrr is distinct from movement_mrr

union all

select
    month,
    transition_type,
    line_changes as transition_lines,
    null as movement_lines,
    plan_change_mrr as transition_mrr,
    null as movement_mrr
from transitions
where
    (transition_type = 'lateral' and plan_change_mrr != 0)
    or (transition_type = 'upgrade' and plan_change_mrr <= 0)
    or (transition_type = 'downgrade' and plan_change_mrr >= 0)
    or mrr_change != mrr_after - mrr_before
    or from_plan_id = to_plan_id
