-- Every movement of one customer, month by month, with its running MRR: how to explain a
-- customer's MRR to finance. Set the customer with --vars '{customer_id: c01}'.

with

movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where customer_id = '{{ var("mrr_customer_id", var("customer_id", "c01")) | replace("'", "''") }}'
),

customer_months as (
    select * from {{ ref('fct_customer_mrr_monthly') }}
),

final as (
    select
        movements.month,
        movements.subscription_id,
        movements.item_id,
        movements.movement_type,
        movements.movement_category,
        movements.from_plan_id,
        movements.to_plan_id,
        movements.mrr_amount,
        customer_months.previous_mrr,
        customer_months.mrr
    from movements
    inner join customer_months
        on
            movements.month = customer_months.month
            and movements.customer_id = customer_months.customer_id
)

select * from final
order by 1, 2, 3, 4
