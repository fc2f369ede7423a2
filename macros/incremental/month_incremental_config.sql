{% macro month_incremental_config() %}
    {#-
        The config of the month-grain incremental models (int_line_months, int_customer_months,
        int_line_changes, int_line_change_effects, fct_mrr_movements): one month-keyed rebuild
        shared by all of them; see docs/materializations.md.
    -#}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': mrr_engine.incremental_strategy(),
        'unique_key': 'month',
        'partition_by': ['month'] if target.type == 'spark' else none,
        'on_schema_change': 'fail',
    }) }}
{% endmacro %}
