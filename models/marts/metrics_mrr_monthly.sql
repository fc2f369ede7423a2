-- One row per month: the metrics of all customers (int_mrr_metrics_by_period).

select
    period_start as month,
    {{ mrr_engine.metrics_mart_columns() }}
from {{ ref('int_mrr_metrics_by_period') }}
where period_grain = 'month' and not is_by_segment
