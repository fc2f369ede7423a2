-- The floor for `mrr bench`: the least a warehouse must do to answer "what is each customer's
-- month-end MRR, and how much of each month's change is new, expansion, contraction and churn".
-- Hand-written DuckDB, no checks, no line-level movements, no marts: one pass over the input.
-- Simplified on purpose (not a definition of anything): line MRR = rate * net price, rounded to
-- cents per line; a customer's MRR is the sum of its lines with MRR > 0.
-- Placeholders, filled in by mrr/bench.py: {subscriptions}, {fx_rates} (relations to read),
-- {as_of} (the as-of date, YYYY-MM-DD).

with

periods as (
    select
        customer_id,
        currency,
        cast(quantity as double) * cast(unit_amount as double) as list_per_interval,
        cast(discount_percent as double) as discount_percent,
        cast(discount_amount as double) as discount_amount,
        case billing_interval
            when 'day' then 365.0 / 12 when 'week' then 52.0 / 12 when 'month' then 1.0
            when 'quarter' then 1.0 / 3 else 1.0 / 12
        end / interval_count as factor,
        year(valid_from) * 12 + month(valid_from) - 1 as first_month_index,
        case
            when valid_to is null or valid_to > date '{as_of}'
                then year(date '{as_of}') * 12 + month(date '{as_of}') - 1
            else year(valid_to) * 12 + month(valid_to) - 2
        end as last_month_index
    from {subscriptions}
    where not is_trial and valid_from <= date '{as_of}'
),

fx_monthly as (
    select
        currency,
        year(rate_date) * 12 + month(rate_date) - 1 as month_index,
        arg_max(cast(rate_to_reporting as double), rate_date) as rate
    from {fx_rates}
    where rate_date <= date '{as_of}'
    group by 1, 2
),

line_months as (
    select
        customer_id,
        currency,
        unnest(range(first_month_index, last_month_index + 1)) as month_index,
        greatest(
            0, (list_per_interval * (1 - discount_percent / 100) - discount_amount) * factor
        ) as net
    from periods
    where first_month_index <= last_month_index
),

customer_months as (
    select
        line_months.customer_id,
        line_months.month_index,
        sum(round(line_months.net * coalesce(fx_monthly.rate, 1), 2)) as mrr
    from line_months
    left join fx_monthly
        on line_months.currency = fx_monthly.currency and line_months.month_index = fx_monthly.month_index
    group by 1, 2
    having sum(round(line_months.net * coalesce(fx_monthly.rate, 1), 2)) > 0
),

sequenced as (
    select
        *,
        lag(month_index) over by_customer as previous_index,
        lag(mrr) over by_customer as previous_mrr,
        lead(month_index) over by_customer as next_index
    from customer_months
    window by_customer as (partition by customer_id order by month_index)
),

changes as (
    select
        month_index,
        mrr,
        case when previous_index is null or previous_index < month_index - 1 then mrr else 0 end
            as new_mrr,
        case when previous_index = month_index - 1 then greatest(mrr - previous_mrr, 0) else 0 end
            as expansion_mrr,
        case when previous_index = month_index - 1 then greatest(previous_mrr - mrr, 0) else 0 end
            as contraction_mrr,
        0 as churned_mrr
    from sequenced
    union all
    select
        month_index + 1 as month_index,
        0 as mrr,
        0 as new_mrr,
        0 as expansion_mrr,
        0 as contraction_mrr,
        mrr as churned_mrr
    from sequenced
    where
        (next_index is null or next_index > month_index + 1)
        and month_index < year(date '{as_of}') * 12 + month(date '{as_of}') - 1
)

select
    make_date(cast(month_index // 12 as integer), cast(month_index % 12 + 1 as integer), 1) as month,
    count(*) filter (where mrr > 0) as customers,
    sum(mrr) as mrr,
    sum(new_mrr) as new_mrr,
    sum(expansion_mrr) as expansion_mrr,
    sum(contraction_mrr) as contraction_mrr,
    sum(churned_mrr) as churned_mrr
from changes
group by 1
order by 1
