-- depends_on: {{ ref('stg_customers') }}
{{ config(mrr_engine.month_incremental_config(
    looks_ahead=mrr_engine.metrics_looks_ahead(), period='month', segmented=true
)) }}
{{ mrr_engine.mrr_metrics('month', segment_column=var('segment_column')) }}
