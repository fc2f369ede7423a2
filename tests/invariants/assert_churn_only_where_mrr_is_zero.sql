-- Invariant: churn movements happen only in customer-months whose MRR is 0, and a customer-month
-- whose MRR fell to 0 is explained by churn movements only.
with

customer_months as (
    select * from {{ ref('fct_customer_mrr_monthly') }}
),

movements as (
    -- in an incremental build that tests its rebuilt months only, the movements of those months
    select * from {{ mrr_engine.tested_rows(ref('fct_mrr_movements')) }}
)

select
    movements.month,
    movements.customer_id,
    movements.movement_type,
    customer_months.mrr
from movements
inner join customer_months
    on
        movements.month = customer_months.month
        and movements.customer_id = customer_months.customer_id
where
    (movements.movement_type = 'churn' and customer_months.mrr != 0)
    or (movements.movement_type != 'churn' and customer_months.mrr = 0)
