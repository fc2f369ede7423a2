{% macro regexp_group(text, pattern) %}
    {#-
        The text matched by the first parenthesized group of `pattern` (a SQL string literal's
        contents, without backslashes: the engines escape them differently) in `text`, '' when
        the pattern does not match or the group took no part.
    -#}
    {{ return(adapter.dispatch('regexp_group', 'mrr_engine')(text, pattern)) }}
{% endmacro %}

{% macro default__regexp_group(text, pattern) %}
    coalesce(substring({{ text }} from '{{ pattern }}'), '')
{% endmacro %}

{% macro duckdb__regexp_group(text, pattern) %}
    regexp_extract({{ text }}, '{{ pattern }}', 1)
{% endmacro %}

{% macro spark__regexp_group(text, pattern) %}
    coalesce(regexp_extract({{ text }}, '{{ pattern }}', 1), '')
{% endmacro %}
