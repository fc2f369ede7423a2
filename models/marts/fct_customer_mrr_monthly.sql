-- One row per customer per month in which it has MRR, plus one row (mrr 0) for each month in
-- which it churned; with the customer's attributes for slicing.
-- Incremental: a build on a built warehouse recomputes only the months from
-- rebuild_from_month_index() on, unless a customer of the previous build has other attributes
-- now (then it is rebuilt in full: should_full_refresh()).

{{ config(mrr_engine.month_incremental_config(attributes=true)) }}
{% set rebuild_from = mrr_engine.rebuild_from_month_index() if is_incremental() else 0 %}

with

customer_months as (
    select * from {{ ref('int_customer_months') }}
    where month_index >= {{ rebuild_from }}
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
