{% macro month_incremental_config(looks_ahead=[], period=none, segmented=false, attributes=false) %}
    {#-
        The config of the incremental models: the month-grain ones (int_line_months,
        int_customer_months, int_line_changes, fct_mrr_movements, fct_customer_mrr_monthly,
        int_customer_month_flows) and the period-grain metrics_mrr_monthly, _quarterly, _yearly
        and _monthly_by_segment. One rebuild by month shared by all of them, or a plain table
        where the engine has no incremental strategy for them (incremental_strategy() is none);
        see docs/materializations.md.
        looks_ahead: how many months ahead of its own month a row reads (int_line_months: 1): the
        months whose rows read a rebuilt month are rebuilt too (rebuilt_month_ranges()).
        period: for a period-grain model (metrics_mrr_monthly, _quarterly, _yearly: 'month',
        'quarter' or 'year', also the name of its key column) whose rows read a month-grain model
        looking ahead `looks_ahead` months: the periods holding a month rebuilt there, or the
        month after one, are rebuilt (rebuilt_period_ranges()).
        segmented: for metrics_mrr_monthly_by_segment (cut by var segment_column): every period is
        rebuilt when the segments changed (segments_changed()).
        attributes: for fct_customer_mrr_monthly (which carries the customer attributes): it is
        rebuilt in full when a customer's attributes changed (should_full_refresh()).
    -#}
    {% set strategy = mrr_engine.incremental_strategy() %}
    {% if strategy is none %}
        {{ return({'materialized': 'table'}) }}
    {% endif %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': strategy,
        'unique_key': period or 'month',
        'on_schema_change': 'fail',
        'rebuild_looks_ahead': looks_ahead,
        'rebuild_period': period,
        'rebuild_segmented': segmented,
        'rebuild_on_attribute_change': attributes,
    }) }}
{% endmacro %}
