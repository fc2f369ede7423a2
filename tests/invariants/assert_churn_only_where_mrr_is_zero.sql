-- Invariant: churn movements happen only in customer-months whose MRR is 0, and a customer-month
-- whose MRR fell to 0 is explained by churn movements only.
-- Each side pairs the few rows it is about (the churn movements, the customer-months at 0) with
-- the other table, instead of pairing every movement with its customer-month.
with

-- one import CTE per side of each pairing: DuckDB would materialise a CTE read twice

customer_months as (
    select * from {{ ref('fct_customer_mrr_monthly') }}
),

customer_months_at_zero as (
    select * from {{ ref('fct_customer_mrr_monthly') }}
    where mrr = 0
),

churn_movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where movement_type = 'churn'
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

churn_with_mrr as (
    select
        churn_movements.month,
        churn_movements.customer_id,
        churn_movements.movement_type,
        customer_months.mrr
    from churn_movements
    inner join customer_months
        on
            churn_movements.month = customer_months.month
            and churn_movements.customer_id = customer_months.customer_id
    where customer_months.mrr != 0
),

other_movements_at_zero as (
    select
        movements.month,
        movements.customer_id,
        movements.movement_type,
        customer_months_at_zero.mrr
    from movements
    inner join customer_months_at_zero
        on
            movements.month = customer_months_at_zero.month
            and movements.customer_id = customer_months_at_zero.customer_id
    where movements.movement_type != 'churn'
),

failures as (
    select * from churn_with_mrr
    union all
    select * from other_movements_at_zero
)

select * from failures
