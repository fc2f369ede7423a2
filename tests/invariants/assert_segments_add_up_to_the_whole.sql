-- Invariant: cut by segment, the monthly MRR, flows and customer counts add up to the whole.
{% set additive = ['starting_mrr', 'new_mrr', 'reactivation_mrr', 'expansion_mrr', 'contraction_mrr',
                   'churned_mrr', 'fx_mrr', 'ending_mrr', 'upgrade_mrr', 'downgrade_mrr',
                   'customers_start', 'customers_end', 'new_customers', 'churned_customers'] %}
with

by_segment as (
    select
        month,
        {% for column in additive %}
            sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('metrics_mrr_monthly_by_segment') }}
    group by 1
),

whole as (
    select * from {{ ref('metrics_mrr_monthly') }}
)

select whole.month
from whole
left join by_segment
    on whole.month = by_segment.month
where
    by_segment.month is null
    {% for column in additive %}
        or whole.{{ column }} != by_segment.{{ column }}
    {% endfor %}
