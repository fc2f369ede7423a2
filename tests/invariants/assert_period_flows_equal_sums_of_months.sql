-- Invariant: quarterly and yearly flows are the sums of their months, and each period starts
-- where its first month starts and ends where its last month ends.
{% set flows = ['new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr',
                'fx_mrr', 'upgrade_mrr', 'downgrade_mrr'] %}
with

monthly as (
    select * from {{ ref('metrics_mrr_monthly') }}
),

{% for period in ['quarter', 'year'] %}
    {{ period }}_sums as (
        select
            cast({{ dbt.date_trunc(period, 'month') }} as date) as period_start,
            {% for flow in flows %}
                sum({{ flow }}) as {{ flow }},
            {% endfor %}
            min(month) as first_month,
            max(month) as last_month
        from monthly
        group by 1
    ),

    {{ period }}_differences as (
        select
            '{{ period }}' as period,
            periods.{{ period }} as period_start
        from {{ ref('metrics_mrr_' ~ period ~ 'ly') }} as periods
        left join {{ period }}_sums as sums
            on periods.{{ period }} = sums.period_start
        left join monthly as first_months
            on sums.first_month = first_months.month
        left join monthly as last_months
            on sums.last_month = last_months.month
        where
            sums.period_start is null
            or periods.starting_mrr != first_months.starting_mrr
            or periods.ending_mrr != last_months.ending_mrr
            or periods.customers_start != first_months.customers_start
            or periods.customers_end != last_months.customers_end
            {% for flow in flows %}
                or periods.{{ flow }} != sums.{{ flow }}
            {% endfor %}
    ),
{% endfor %}

final as (
    select * from quarter_differences
    union all
    select * from year_differences
)

select * from final
