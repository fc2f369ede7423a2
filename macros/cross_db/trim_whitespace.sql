{% macro trim_whitespace(text) %}
    {#-
        `text` without leading and trailing whitespace: spaces, tabs, carriage returns and line
        feeds (DuckDB's trim() alone removes only spaces). Used on every text value of the input
        contract, so that ' acme ' and 'acme' are one id.
    -#}
    {{ return(adapter.dispatch('trim_whitespace', 'mrr_engine')(text)) }}
{% endmacro %}

{% macro default__trim_whitespace(text) %}
    btrim({{ text }}, ' ' || chr(9) || chr(10) || chr(13))
{% endmacro %}

{% macro duckdb__trim_whitespace(text) %}
    trim({{ text }}, ' ' || chr(9) || chr(10) || chr(13))
{% endmacro %}
