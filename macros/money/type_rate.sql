{% macro type_rate() %}
    {#- The type of every rate and average in the marts: a 64-bit float (fractions, 0.04 not 4). -#}
    {{ return(adapter.dispatch('type_rate', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__type_rate() %}double{% endmacro %}

{% macro postgres__type_rate() %}double precision{% endmacro %}

{% macro bigquery__type_rate() %}float64{% endmacro %}
