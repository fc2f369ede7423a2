-- Invariant: for every customer and month, C(M) - C(M-1) equals the sum of its movements, and
-- every movement belongs to a customer-month of fct_customer_mrr_monthly.
-- In an incremental build that tests its rebuilt months only (tested_rows()), both sides are read
-- in the months the movements were rebuilt (the customer-months were rebuilt from the same month
-- on, or in full).
{% set movement_months = mrr_engine.tested_months_condition(ref('fct_mrr_movements')) %}
with

customer_months as (
    select * from {{ ref('fct_customer_mrr_monthly') }}
    {% if movement_months is not none %}
        where {{ movement_months }}
    {% endif %}
),

movements as (
    select
        month,
        customer_id,
        sum(mrr_amount) as movement_total
    from {{ mrr_engine.tested_rows(ref('fct_mrr_movements')) }}
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
