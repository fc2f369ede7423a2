{% macro month_incremental_config(months_before=0) %}
    {#-
        The config of the month-grain incremental models (int_line_months, int_customer_months,
        int_line_changes, int_line_change_effects, fct_mrr_movements, int_customer_month_flows):
        one month-keyed rebuild shared by all of them, or a plain table where the engine has no
        incremental strategy for them (incremental_strategy() is none); see
        docs/materializations.md.
        months_before: how many months before rebuild_from_month_index() the model rebuilds too
        (int_line_months: 1, as its rows look one month ahead; int_customer_month_flows: 12 or
        expansion_retention_months).
    -#}
    {% set strategy = mrr_engine.incremental_strategy() %}
    {% if strategy is none %}
        {{ return({'materialized': 'table'}) }}
    {% endif %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': strategy,
        'unique_key': 'month',
        'on_schema_change': 'fail',
        'rebuild_months_before': months_before,
    }) }}
{% endmacro %}
