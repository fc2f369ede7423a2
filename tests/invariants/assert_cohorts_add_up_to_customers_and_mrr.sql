-- Invariant: every customer is in exactly one cohort, so each month the cohorts' customers with
-- MRR and their MRR add up to metrics_mrr_monthly's customers_end and ending_mrr; and each
-- cohort's month 0 holds every customer whose first MRR month it is (dim_customers), with MRR
-- equal to their `new` movements of that month.
with

cohorts as (
    select * from {{ ref('fct_cohort_retention') }}
),

metrics as (
    select * from {{ ref('metrics_mrr_monthly') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

new_movements as (
    select * from {{ ref('fct_mrr_movements') }}
    where movement_type = 'new'
),

cohort_totals as (
    select
        month,
        sum(customers_with_mrr) as customers_with_mrr,
        sum(mrr) as mrr
    from cohorts
    group by 1
),

first_months as (
    select
        customers.first_mrr_month as cohort_month,
        count(distinct customers.customer_id) as cohort_customers,
        sum(new_movements.mrr_amount) as starting_mrr
    from customers
    left join new_movements
        on
            customers.customer_id = new_movements.customer_id
            and customers.first_mrr_month = new_movements.month
    group by 1
),

cohort_starts as (
    select * from cohorts
    where months_since_start = 0
)

select
    metrics.month,
    'month totals' as failed_check,
    cohort_totals.customers_with_mrr as cohort_value,
    metrics.customers_end as expected_value
from metrics
left join cohort_totals
    on metrics.month = cohort_totals.month
where
    coalesce(cohort_totals.customers_with_mrr, 0) != metrics.customers_end
    or coalesce(cohort_totals.mrr, 0) != metrics.ending_mrr

union all

select
    coalesce(cohort_starts.cohort_month, first_months.cohort_month) as month,
    'cohort start' as failed_check,
    cohort_starts.cohort_customers as cohort_value,
    first_months.cohort_customers as expected_value
from cohort_starts
full outer join first_months
    on cohort_starts.cohort_month = first_months.cohort_month
where
    cohort_starts.cohort_customers is distinct from first_months.cohort_customers
    or cohort_starts.customers_with_mrr is distinct from first_months.cohort_customers
    or cohort_starts.starting_mrr is distinct from first_months.starting_mrr
    or cohort_starts.mrr is distinct from cohort_starts.starting_mrr
