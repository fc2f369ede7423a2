{% macro as_of_month_index() %}
    {#- The as-of month as a whole number (year * 12 + month - 1), known when the SQL compiles. -#}
    {% set literal = mrr_engine.as_of_date() %}
    {% set value = literal[6:16] %}
    {{ return((value[0:4] | int) * 12 + (value[5:7] | int) - 1) }}
{% endmacro %}
