-- One row per quarter: the metrics of all customers (int_mrr_metrics_by_period).

select
    period_start as quarter,
    {{ mrr_engine.metrics_mart_columns() }}
from {{ ref('int_mrr_metrics_by_period') }}
where period_grain = 'quarter' and not is_by_segment
