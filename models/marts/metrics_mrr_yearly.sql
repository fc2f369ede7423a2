-- One row per year: the metrics of all customers (int_mrr_metrics_by_period).

select
    period_start as year,
    {{ mrr_engine.metrics_mart_columns() }}
from {{ ref('int_mrr_metrics_by_period') }}
where period_grain = 'year' and not is_by_segment
