{{ config(mrr_engine.month_incremental_config(
    looks_ahead=mrr_engine.customer_month_flows_looks_ahead(), period='quarter'
)) }}
{{ mrr_engine.mrr_metrics('quarter') }}
