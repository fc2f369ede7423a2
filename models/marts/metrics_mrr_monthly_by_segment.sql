-- One row per month and segment: the metrics of each segment's customers (int_mrr_metrics_by_period).

select
    period_start as month,
    segment,
    {{ mrr_engine.metrics_mart_columns() }}
from {{ ref('int_mrr_metrics_by_period') }}
where period_grain = 'month' and is_by_segment
