{% macro type_money() %}
    {#- The type of every amount in the marts: an exact decimal, in cents. -#}
    {{ return(adapter.dispatch('type_money', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__type_money() %}decimal(38, 2){% endmacro %}

{% macro bigquery__type_money() %}bignumeric{% endmacro %}
