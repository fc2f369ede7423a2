-- One row per customer per month in which it has MRR, plus one row (mrr 0) for each month in
-- which it churned; with the customer's attributes for slicing.

with

customer_months as (
    select * from {{ ref('int_customer_months') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

final as (
    select
        cast(customer_months.month as date) as month,
        customer_months.customer_id,
        cast(customer_months.mrr as {{ mrr_engine.type_money() }}) as mrr,
        cast(customer_months.previous_mrr as {{ mrr_engine.type_money() }}) as previous_mrr,
        cast(customer_months.mrr - customer_months.previous_mrr as {{ mrr_engine.type_money() }})
            as mrr_change,
        customer_months.customer_status,
        {{ mrr_engine.select_customer_attributes('customers') }}
        customer_months.month_index - customer_months.first_active_index as months_since_first_mrr
    from customer_months
    -- customers is used by the attribute columns, when the input has any
    left join customers  -- noqa: ST11
        on customer_months.customer_id = customers.customer_id
)

select * from final
