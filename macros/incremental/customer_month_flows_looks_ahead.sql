{% macro customer_month_flows_looks_ahead() %}
    {#-
        How many months ahead of its own month a row of int_customer_month_flows reads: 12 (its
        MRR 12 months later) and expansion_retention_months (whether an expansion stuck). Its
        config (month_incremental_config()); the metrics marts that read it need less
        (metrics_looks_ahead()).
    -#}
    {{ return([12, mrr_engine.expansion_retention_months()]) }}
{% endmacro %}
