{% macro input_relation(table_name) %}
    {#-
        What staging selects from for input table `table_name`, and its column names:
        a dict {"relation": <the source relation, or none when it does not exist>, "columns":
        [lowercase names], "source": <the source relation, existing or not>}. Every engine reads the dbt source `raw.<table_name>`: the tables a
        loader (or `mrr load`) filled, or on DuckDB the views `mrr build` makes over the input files.
    -#}
    {% set relation = source('raw', table_name) %}
    {% do mrr_engine.safe_identifier(relation.schema) %}
    {% if not execute %}
        {{ return({"relation": relation, "columns": [], "source": relation}) }}
    {% endif %}
    {% set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) %}
    {% if existing is none %}
        {{ return({"relation": none, "columns": [], "source": relation}) }}
    {% endif %}
    {% set columns = adapter.get_columns_in_relation(existing) | map(attribute='name')
        | map('lower') | list %}
    {{ return({"relation": existing, "columns": columns, "source": relation}) }}
{% endmacro %}
