{% macro month_incremental_config(looks_ahead=[]) %}
    {#-
        The config of the month-grain incremental models (int_line_months, int_customer_months,
        int_line_changes, int_line_change_effects, fct_mrr_movements, int_customer_month_flows):
        one month-keyed rebuild shared by all of them, or a plain table where the engine has no
        incremental strategy for them (incremental_strategy() is none); see
        docs/materializations.md.
        looks_ahead: how many months ahead of its own month a row reads (int_line_months: 1;
        int_customer_month_flows: 12 and expansion_retention_months): the months whose rows read
        a rebuilt month are rebuilt too (rebuilt_month_ranges()).
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
        'rebuild_looks_ahead': looks_ahead,
    }) }}
{% endmacro %}
