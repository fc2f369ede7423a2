{% macro tested_rows(relation) %}
    {#-
        What a singular data test reads of `relation`: the relation itself, or in an incremental
        build that tests the rebuilt months only, its rows of those months
        (tested_months_condition()). Generic tests get the same through get_where_subquery().
    -#}
    {% set condition = mrr_engine.tested_months_condition(relation) %}
    {% if condition is none %}
        {{ return(relation) }}
    {% endif %}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ condition ~ ') as tested_rows') }}
{% endmacro %}
