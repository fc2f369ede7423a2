{% macro metrics_looks_ahead() %}
    {#-
        The look-ahead of the metrics_mrr_* marts (month_incremental_config()): a period reads the
        rows of int_customer_month_flows expansion_retention_months after its months (their
        retained_expansion_mrr: the expansions of the period that stuck), so it is rebuilt when
        one of those is. Its 12-month cohort (nrr_12m, grr_12m) reads the month 12 months before
        its last month and its last month, which is rebuilt whenever the earlier one is: that adds
        no period.
    -#}
    {{ return([mrr_engine.expansion_retention_months()]) }}
{% endmacro %}
