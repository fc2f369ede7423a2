-- Invariant: for every customer and month, C(M) - C(M-1) equals the sum of its movements, and
-- every movement belongs to a customer-month of fct_customer_mrr_monthly.
with

customer_months as (
    select * from {{ ref('fct_customer_mrr_monthly') }}
),

movements as (
    select
        month,
        customer_id,
        sum(mrr_amount) as movement_total
    from {{ ref('fct_mrr_movements') }}
    group by 1, 2
),

compared as (
    select
        customer_months.mrr_change as reported_mrr_change,
        coalesce(customer_months.month, movements.month) as month,
        coalesce(customer_months.customer_id, movements.customer_id) as customer_id,
        customer_months.mrr - customer_months.previous_mrr as mrr_change,
        coalesce(movements.movement_total, 0) as movement_total
    from customer_months
    full outer join movements
        on
            customer_months.month = movements.month
            and customer_months.customer_id = movements.customer_id
)

select * from compared
where
    mrr_change is null
    or mrr_change != movement_total
    or reported_mrr_change != movement_total
