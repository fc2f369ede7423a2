{% macro integer_divide(dividend, divisor) %}
    {#- Integer division of two integral values, truncating toward zero (both are >= 0 here). -#}
    {{ return(adapter.dispatch('integer_divide', 'mrr_engine')(dividend, divisor)) }}
{% endmacro %}

{% macro default__integer_divide(dividend, divisor) %}div({{ dividend }}, {{ divisor }}){% endmacro %}

{% macro duckdb__integer_divide(dividend, divisor) %}
    (cast({{ dividend }} as hugeint) // cast({{ divisor }} as hugeint))
{% endmacro %}

{% macro spark__integer_divide(dividend, divisor) %}(({{ dividend }}) div ({{ divisor }})){% endmacro %}
