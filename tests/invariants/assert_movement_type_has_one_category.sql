-- Invariant: each movement type maps to exactly one category.
select
    movement_type,
    count(distinct movement_category) as categories
from {{ ref('fct_mrr_movements') }}
group by 1
having count(distinct movement_category) != 1
