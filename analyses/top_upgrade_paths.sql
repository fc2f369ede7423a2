-- Which plan changes bring the most MRR over the last 12 months, and which paths nobody takes.
-- Compile with `dbt compile --select top_upgrade_paths` and run the SQL in target/compiled.

with

transitions as (
    select * from {{ ref('fct_plan_transitions') }}
    where month > {{ dbt.dateadd('month', -12, mrr_engine.as_of_date()) }}
),

paths as (
    select
        from_plan_id,
        to_plan_id,
        transition_type,
        sum(line_changes) as line_changes,
        sum(customers) as customers,
        sum(plan_change_mrr) as plan_change_mrr
    from transitions
    group by 1, 2, 3
)

select * from paths
order by 6 desc
