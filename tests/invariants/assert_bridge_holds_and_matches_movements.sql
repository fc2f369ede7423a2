-- Invariant: every month, ending = starting + new + reactivation + expansion - contraction
-- - churned + fx, and each flow equals the sum of its category in fct_mrr_movements.
with

metrics as (
    select * from {{ ref('metrics_mrr_monthly') }}
),

movements as (
    select
        month,
        sum(case when movement_category = 'new' then mrr_amount else 0 end) as new_mrr,
        sum(case when movement_category = 'reactivation' then mrr_amount else 0 end) as reactivation_mrr,
        sum(case when movement_category = 'expansion' then mrr_amount else 0 end) as expansion_mrr,
        -sum(case when movement_category = 'contraction' then mrr_amount else 0 end) as contraction_mrr,
        -sum(case when movement_category = 'churn' then mrr_amount else 0 end) as churned_mrr,
        sum(case when movement_category = 'fx' then mrr_amount else 0 end) as fx_mrr
    from {{ ref('fct_mrr_movements') }}
    group by 1
)

select
    metrics.month,
    metrics.starting_mrr,
    metrics.ending_mrr
from metrics
left join movements
    on metrics.month = movements.month
where
    metrics.ending_mrr != metrics.starting_mrr + metrics.new_mrr + metrics.reactivation_mrr
    + metrics.expansion_mrr - metrics.contraction_mrr - metrics.churned_mrr + metrics.fx_mrr
    or metrics.new_mrr != coalesce(movements.new_mrr, 0)
    or metrics.reactivation_mrr != coalesce(movements.reactivation_mrr, 0)
    or metrics.expansion_mrr != coalesce(movements.expansion_mrr, 0)
    or metrics.contraction_mrr != coalesce(movements.contraction_mrr, 0)
    or metrics.churned_mrr != coalesce(movements.churned_mrr, 0)
    or metrics.fx_mrr != coalesce(movements.fx_mrr, 0)
    or metrics.net_new_mrr != metrics.ending_mrr - metrics.starting_mrr
    or metrics.arr != metrics.ending_mrr * 12
