-- Invariant: amounts are non-zero and have the sign of their type (seed movement_types):
-- new, reactivation and expansion types are positive, contraction types and churn negative,
-- fx either way.
with

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

movement_types as (
    select * from {{ ref('movement_types') }}
)

select movements.*  -- noqa: AM04
from movements
inner join movement_types
    on movements.movement_type = movement_types.movement_type
where
    movements.mrr_amount = 0
    or (movement_types.amount_sign = 1 and movements.mrr_amount < 0)
    or (movement_types.amount_sign = -1 and movements.mrr_amount > 0)
