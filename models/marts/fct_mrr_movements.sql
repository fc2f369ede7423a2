-- One row per month, customer, subscription line and movement type with a non-zero amount:
-- every dollar of MRR change, explained. A view: int_mrr_movements computes and stores the rows
-- (the metrics read them there); a table here would copy them for nothing
-- (docs/materializations.md).

select
    month,
    customer_id,
    subscription_id,
    item_id,
    movement_type,
    movement_category,
    mrr_amount,
    from_plan_id,
    to_plan_id,
    product_id
from {{ ref('int_mrr_movements') }}
