{% macro sticky_expansion(period) %}
    {#-
        For mrr_metrics: per period, the expansion MRR whose customer still had at least the MRR
        it reached (its MRR at the end of the expansion month) `expansion_retention_months` later
        (expansion_retained_mrr), out of the expansion MRR that can already be judged, i.e. whose
        look-ahead month is not past the as-of month (expansion_judged_mrr). Expects the CTEs
        movements, customer_months and periodized_months of mrr_metrics.
    -#}
    {% set horizon = mrr_engine.expansion_retention_months() %}
    select
        periodized_months.period_start,
        expanded.segment,
        sum(case
            when coalesce(later.mrr, 0) >= reached.mrr then expanded.expansion_mrr else 0
        end) as expansion_retained_mrr,
        sum(expanded.expansion_mrr) as expansion_judged_mrr
    from (
        select
            customer_id,
            segment,
            month,
            sum(mrr_amount) as expansion_mrr
        from movements
        where movement_category = 'expansion'
        group by 1, 2, 3
    ) as expanded
    inner join periodized_months
        on expanded.month = periodized_months.month
    inner join customer_months as reached
        on
            expanded.customer_id = reached.customer_id
            and periodized_months.month_index = reached.month_index
    left join customer_months as later
        on
            expanded.customer_id = later.customer_id
            and later.month_index = reached.month_index + {{ horizon }}
    where reached.month_index + {{ horizon }} <= {{ mrr_engine.as_of_month_index() }}
    group by 1, 2
{% endmacro %}
