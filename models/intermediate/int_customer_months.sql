-- One row per customer per month in which it has MRR, plus one row for the month after each
-- run of months with MRR (its churn month, mrr 0) when that month is not past the as-of month.
-- customer_status says how the month begins: new, reactivation, continuing or churn;
-- subscriptions_with_mrr counts its subscriptions with MRR at the month end (0 in a churn month).

{% set window = mrr_engine.reactivation_window_months() %}

with

line_months as (
    select * from {{ ref('int_line_months') }}
),

subscription_months as (
    -- each subscription of the customer with MRR at the month end (one or more lines)
    select
        customer_id,
        month_index,
        month,
        subscription_id,
        sum(mrr) as mrr
    from line_months
    group by 1, 2, 3, 4
),

active as (
    select
        customer_id,
        month_index,
        month,
        cast(sum(mrr) as {{ mrr_engine.type_money_intermediate() }}) as mrr,
        count(*) as subscriptions_with_mrr
    from subscription_months
    group by 1, 2, 3
),

sequenced as (
    select
        *,
        lag(month_index) over (partition by customer_id order by month_index) as previous_active_index,
        lag(mrr) over (partition by customer_id order by month_index) as previous_active_mrr,
        lead(month_index) over (partition by customer_id order by month_index) as next_active_index,
        min(month_index) over (partition by customer_id) as first_active_index
    from active
),

active_classified as (
    select
        customer_id,
        month_index,
        month,
        mrr,
        case when previous_active_index = month_index - 1 then previous_active_mrr else 0 end
            as previous_mrr,
        case
            when previous_active_index is null then 'new'
            when previous_active_index = month_index - 1 then 'continuing'
            {% if window is not none %}
            when month_index - previous_active_index > {{ window }} then 'new'
            {% endif %}
            else 'reactivation'
        end as customer_status,
        first_active_index,
        previous_active_index as last_active_index_before,
        subscriptions_with_mrr
    from sequenced
),

churned as (
    select
        customer_id,
        month_index + 1 as month_index,
        cast({{ dbt.dateadd('month', 1, 'month') }} as date) as month,
        cast(0 as {{ mrr_engine.type_money_intermediate() }}) as mrr,
        mrr as previous_mrr,
        'churn' as customer_status,
        first_active_index,
        month_index as last_active_index_before,
        cast(0 as {{ dbt.type_bigint() }}) as subscriptions_with_mrr
    from sequenced
    where
        (next_active_index is null or next_active_index > month_index + 1)
        and month_index < {{ mrr_engine.as_of_month_index() }}
),

final as (
    select * from active_classified
    union all
    select * from churned
)

select * from final
