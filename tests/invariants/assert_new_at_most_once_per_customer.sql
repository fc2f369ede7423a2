-- Invariant: a customer is `new` once. With var mrr_reactivation_window_months set, a customer that
-- comes back after more than the window is new again, so the test then checks only that each
-- further `new` follows a gap longer than the window.
{% set window = mrr_engine.reactivation_window_months() %}
with

new_months as (
    select
        customer_id,
        month,
        customer_status,
        {{ mrr_engine.month_index('month') }} - months_since_first_mrr as first_month_index,
        {{ mrr_engine.month_index('month') }} as month_index
    from {{ ref('fct_customer_mrr_monthly') }}
    where customer_status = 'new'
),

counted as (
    select
        customer_id,
        count(*) as new_count
    from new_months
    group by 1
)

{% if window is none %}
    select * from counted
    where new_count > 1
{% else %}
    select
        later.customer_id,
        later.month
    from new_months as later
    inner join {{ ref('fct_customer_mrr_monthly') }} as gap
        on
            later.customer_id = gap.customer_id
            and {{ mrr_engine.month_index('gap.month') }} between later.month_index - {{ window }} and later.month_index - 1
    where gap.mrr > 0
{% endif %}
