-- Invariant: for every month, total ending MRR minus total starting MRR equals the sum of all
-- movements of the month.
with

customer_months as (
    select
        month,
        sum(mrr) as ending_mrr,
        sum(previous_mrr) as starting_mrr
    from {{ ref('fct_customer_mrr_monthly') }}
    group by 1
),

movements as (
    select
        month,
        sum(mrr_amount) as movement_total
    from {{ ref('fct_mrr_movements') }}
    group by 1
)

select
    customer_months.*,
    movements.movement_total
from customer_months
left join movements
    on customer_months.month = movements.month
where customer_months.ending_mrr - customer_months.starting_mrr != coalesce(movements.movement_total, 0)
