{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per Stripe customer, in the shape of the input contract's customers (customer_id and
-- attribute columns: customer_name, country), which stg_customers reads when var
-- mrr_input_format is stripe.

with

customers as (
    select * from {{ ref('stg_stripe__customer') }}
),

final as (
    select
        customer_id,
        customer_name,
        upper(country) as country,
        row_number() over (order by customer_id) as input_row_number
    from customers
)

select * from final
