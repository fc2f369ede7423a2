-- Invariant: a customer whose lines, terms and fx rates are all the same at the end of two
-- consecutive months has no movement in the second month.
-- The line-months are read twice, once per side of the pairing: one shared CTE would be
-- materialised whole by DuckDB (a third slower at 1,000,000 customers).
-- In an incremental build that tests its rebuilt months only (tested_rows()), the movements are
-- those of the rebuilt months and the line-months start a month earlier: every rebuilt month
-- is paired with the month before it.
with

current_line_months as (
    select * from {{ mrr_engine.tested_rows(ref('int_line_months')) }}
),

previous_line_months as (
    select * from {{ mrr_engine.tested_rows(ref('int_line_months')) }}
),

movements as (
    select * from {{ mrr_engine.tested_rows(ref('fct_mrr_movements')) }}
),

line_pairs as (
    select
        coalesce(current_lines.customer_id, previous_lines.customer_id) as customer_id,
        coalesce(current_lines.month_index, previous_lines.month_index + 1) as month_index,
        case
            when
                current_lines.plan_id = previous_lines.plan_id
                and current_lines.unit_amount = previous_lines.unit_amount
                and current_lines.quantity = previous_lines.quantity
                and current_lines.discount_percent = previous_lines.discount_percent
                and current_lines.discount_amount = previous_lines.discount_amount
                and current_lines.factor_numerator = previous_lines.factor_numerator
                and current_lines.factor_denominator = previous_lines.factor_denominator
                and current_lines.rate_to_reporting = previous_lines.rate_to_reporting
                then 1
            else 0
        end as is_unchanged
    from current_line_months as current_lines
    full outer join previous_line_months as previous_lines
        on
            current_lines.subscription_id = previous_lines.subscription_id
            and current_lines.item_id = previous_lines.item_id
            and current_lines.month_index = previous_lines.month_index + 1
),

unchanged_customers as (
    select
        customer_id,
        month_index
    from line_pairs
    group by 1, 2
    having min(is_unchanged) = 1
)

select movements.*  -- noqa: AM04
from movements
inner join unchanged_customers
    on
        movements.customer_id = unchanged_customers.customer_id
        and {{ mrr_engine.month_index('movements.month') }} = unchanged_customers.month_index
