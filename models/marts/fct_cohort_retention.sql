-- One row per cohort (the month of a customer's first MRR) and months since that month, from 0 to
-- the as-of month: how many of the cohort's customers still have MRR and how much, against month
-- 0. A customer stays in its first cohort for good: one that churns and comes back counts again in
-- its original cohort from the month it returns (also when var mrr_reactivation_window_months makes
-- its return `new`).

with

months as (
    select * from {{ ref('int_months') }}
),

customer_months as (
    select * from {{ ref('int_customer_months') }}
    where mrr > 0
),

cohorts as (
    -- a customer's cohort is its first month with MRR (first_active_index, on each of its
    -- customer-months): its row of that month counts it once
    select
        first_active_index as cohort_month_index,
        month as cohort_month,
        count(*) as cohort_customers
    from customer_months
    where month_index = first_active_index
    group by 1, 2
),

cohort_months as (
    select
        cohorts.cohort_month,
        cohorts.cohort_month_index,
        cohorts.cohort_customers,
        months.month,
        months.month_index,
        months.month_index - cohorts.cohort_month_index as months_since_start
    from cohorts
    inner join months
        on cohorts.cohort_month_index <= months.month_index
),

retained as (
    select
        first_active_index as cohort_month_index,
        month_index,
        count(*) as customers_with_mrr,
        sum(mrr) as mrr
    from customer_months
    group by 1, 2
),

filled as (
    select
        cohort_months.cohort_month,
        cohort_months.months_since_start,
        cohort_months.month,
        cohort_months.cohort_customers,
        coalesce(retained.customers_with_mrr, 0) as customers_with_mrr,
        coalesce(retained.mrr, 0) as mrr
    from cohort_months
    left join retained
        on
            cohort_months.cohort_month_index = retained.cohort_month_index
            and cohort_months.month_index = retained.month_index
),

with_start as (
    select
        *,
        sum(case when months_since_start = 0 then mrr else 0 end) over (
            partition by cohort_month
        ) as starting_mrr
    from filled
),

final as (
    select
        cast(cohort_month as date) as cohort_month,
        cast(months_since_start as {{ dbt.type_bigint() }}) as months_since_start,
        cast(month as date) as month,
        cast(cohort_customers as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(customers_with_mrr as {{ dbt.type_bigint() }}) as customers_with_mrr,
        cast(mrr as {{ mrr_engine.type_money() }}) as mrr,
        cast(starting_mrr as {{ mrr_engine.type_money() }}) as starting_mrr,
        {{ mrr_engine.safe_divide('customers_with_mrr', 'cohort_customers') }} as logo_retention,
        {{ mrr_engine.safe_divide('mrr', 'starting_mrr') }} as net_revenue_retention
    from with_start
)

select * from final
