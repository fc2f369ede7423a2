{% macro columns_fingerprint(columns) %}
    {#-
        One value standing for the values of `columns` in a row, to compare or group rows on many
        columns through one narrow value: rows with equal values (nulls included) have equal
        fingerprints. Rows with different values almost always have different ones, but not
        always (a hash can collide), so a check may use it only where a collision can make the
        check fail, never pass, or where it rechecks on the columns themselves the rows it finds.
    -#}
    {{ return(adapter.dispatch('columns_fingerprint', 'mrr_engine')(columns)) }}
{% endmacro %}

{% macro default__columns_fingerprint(columns) %}
    {#- the MD5 of the values as text, a null as '<null>', separated by '|' -#}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{% endmacro %}

{% macro duckdb__columns_fingerprint(columns) -%}
    {#- DuckDB's 64-bit hash of the values themselves, without text -#}
    hash({{ columns | join(', ') }})
{%- endmacro %}
