{{ config(mrr_engine.month_incremental_config(
    looks_ahead=mrr_engine.metrics_looks_ahead(), period='year'
)) }}
{{ mrr_engine.mrr_metrics('year') }}
