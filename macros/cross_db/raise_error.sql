{% macro raise_error(message) %}
    {#- A SQL expression that fails the query with `message` (a SQL string expression) when evaluated. -#}
    {{ return(adapter.dispatch('raise_error', 'mrr_engine')(message)) }}
{% endmacro %}

{% macro default__raise_error(message) %}cast({{ message }} as integer){% endmacro %}

{% macro duckdb__raise_error(message) %}error({{ message }}){% endmacro %}

{% macro spark__raise_error(message) %}raise_error({{ message }}){% endmacro %}
