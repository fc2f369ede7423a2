{% macro get_where_subquery(relation) %}
    {#-
        dbt's hook for what a generic data test reads of the model it tests (this project's
        version replaces dbt's): the model filtered by the test's `where` config, as dbt does,
        and, in an incremental build that tests the rebuilt months only, by
        tested_months_condition() too.
    -#}
    {% set conditions = [] %}
    {% set where = config.get('where', '') %}
    {% if where %}
        {% do conditions.append('(' ~ where ~ ')') %}
    {% endif %}
    {% set rebuilt = mrr_engine.tested_months_condition(relation) %}
    {% if rebuilt is not none %}
        {% do conditions.append(rebuilt) %}
    {% endif %}
    {% if not conditions %}
        {{ return(relation) }}
    {% endif %}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') }}
{% endmacro %}
