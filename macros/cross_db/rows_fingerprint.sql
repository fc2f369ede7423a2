{% macro rows_fingerprint(columns) %}
    {#-
        An aggregate: one value standing for the rows of a group (the values of `columns` in
        each), for groups whose rows are distinct, to compare whole groups through one value.
        Groups holding the same rows have equal values, whatever their order; groups holding
        different rows almost always have different ones, but not always (a hash can collide),
        so a check may use it only where a collision can make the check fail, never pass.
    -#}
    {{ return(adapter.dispatch('rows_fingerprint', 'mrr_engine')(columns)) }}
{% endmacro %}

{% macro default__rows_fingerprint(columns) %}
    {#- the rows' fingerprints (columns_fingerprint()), sorted and joined -#}
    {{ mrr_engine.sorted_distinct_list(mrr_engine.columns_fingerprint(columns), "','") }}
{% endmacro %}

{% macro duckdb__rows_fingerprint(columns) -%}
    {#- the sum of the rows' 64-bit hashes, a 128-bit integer: no text and no sort -#}
    sum({{ mrr_engine.columns_fingerprint(columns) }})
{%- endmacro %}
