-- One row per customer per month in which it has MRR, plus one row for the month after each
-- run of months with MRR (its churn month, mrr 0) when that month is not past the as-of month.
-- customer_status says how the month begins: new, reactivation, continuing or churn;
-- subscriptions_with_mrr counts its subscriptions with MRR at the month end (0 in a churn month).
-- Incremental: a build on a built warehouse recomputes only the months from
-- rebuild_from_month_index() on; what a customer's earlier months tell (its first month with MRR,
-- its last month with MRR before the rebuilt ones and that month's MRR) comes from this table.

{{ config(mrr_engine.month_incremental_config()) }}
{% set rebuild_from = mrr_engine.rebuild_from_month_index() if is_incremental() else 0 %}
{% set window = mrr_engine.reactivation_window_months() %}

with

line_months as (
    select * from {{ ref('int_line_months') }}
    where month_index >= {{ rebuild_from }}
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
        count(*) as subscriptions_with_mrr,
        cast(null as {{ dbt.type_int() }}) as known_first_active_index,
        false as is_kept
    from subscription_months
    group by 1, 2, 3
    {% if is_incremental() %}

        union all

        -- each customer's last month with MRR before the rebuilt months, kept as it is
        select
            kept.customer_id,
            kept.month_index,
            kept.month,
            kept.mrr,
            kept.subscriptions_with_mrr,
            kept.first_active_index as known_first_active_index,
            true as is_kept
        from {{ this }} as kept
        inner join (
            select
                customer_id,
                max(month_index) as month_index
            from {{ this }}
            where month_index < {{ rebuild_from }} and mrr > 0
            group by 1
        ) as last_kept
            on
                kept.customer_id = last_kept.customer_id
                and kept.month_index = last_kept.month_index
    {% endif %}
),

sequenced as (
    select
        *,
        lag(month_index) over (partition by customer_id order by month_index) as previous_active_index,
        lag(mrr) over (partition by customer_id order by month_index) as previous_active_mrr,
        lead(month_index) over (partition by customer_id order by month_index) as next_active_index,
        min(coalesce(known_first_active_index, month_index)) over (partition by customer_id)
            as first_active_index
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
    where not is_kept
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
        and month_index + 1 >= {{ rebuild_from }}
),

final as (
    select * from active_classified
    union all
    select * from churned
)

select * from final
