{% macro sorted_distinct_list(column, delimiter) %}
    {#-
        The distinct values of `column` in a group, sorted, joined by `delimiter` (a SQL string
        literal). dbt.listagg cannot sort on Spark, so Spark sorts an array instead.
    -#}
    {{ return(adapter.dispatch('sorted_distinct_list', 'mrr_engine')(column, delimiter)) }}
{% endmacro %}

{% macro default__sorted_distinct_list(column, delimiter) %}
    {{ dbt.listagg('distinct ' ~ column, delimiter, 'order by ' ~ column) }}
{% endmacro %}

{% macro spark__sorted_distinct_list(column, delimiter) %}
    array_join(array_sort(collect_set({{ column }})), {{ delimiter }})
{% endmacro %}
