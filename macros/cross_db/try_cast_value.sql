{% macro try_cast_value(expression, data_type) %}
    {#- `expression` cast to `data_type`, or null when it does not convert (never an error). -#}
    {{ return(adapter.dispatch('try_cast_value', 'mrr_engine')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast_value(expression, data_type) %}
    {{ dbt.safe_cast(expression, data_type) }}
{% endmacro %}

{% macro duckdb__try_cast_value(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro spark__try_cast_value(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}
