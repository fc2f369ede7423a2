{% macro metrics_looks_ahead() %}
    {#-
        The look-ahead of the metrics_mrr_* marts (month_incremental_config()): of the rows of
        int_customer_month_flows that an incremental build rebuilds because they look ahead
        (customer_month_flows_looks_ahead()), the ones that look 12 months ahead change only in
        mrr_12_months_later, which a period reads only for its 12-month cohort, in the month 12
        months before its last month: that row changed only when the period's last month is itself
        rebuilt, so the period is rebuilt anyway. Only the expansion_retention_months look-ahead
        (mrr_retention_months_later, read by the period holding the row) adds periods.
    -#}
    {{ return([mrr_engine.expansion_retention_months()]) }}
{% endmacro %}
