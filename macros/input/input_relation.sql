{% macro input_relation(table_name) %}
    {#-
        What staging selects from for input table `table_name`, and its column names:
        a dict {"relation": <sql or none when the table is absent>, "columns": [lowercase names]}.
        DuckDB reads the files in var('input_dir') directly; every other engine reads the
        dbt source `raw.<table_name>` loaded by `mrr load`.
    -#}
    {{ return(adapter.dispatch('input_relation', 'mrr_engine')(table_name)) }}
{% endmacro %}

{% macro default__input_relation(table_name) %}
    {% do mrr_engine.safe_identifier(var('raw_schema', 'raw')) %}
    {% set relation = source('raw', table_name) %}
    {% if not execute %}
        {{ return({"relation": relation, "columns": []}) }}
    {% endif %}
    {% set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) %}
    {% if existing is none %}
        {{ return({"relation": none, "columns": []}) }}
    {% endif %}
    {% set columns = adapter.get_columns_in_relation(existing) | map(attribute='name')
        | map('lower') | list %}
    {{ return({"relation": existing, "columns": columns}) }}
{% endmacro %}

{% macro duckdb__input_relation(table_name) %}
    {% set path = mrr_engine.input_file(table_name) %}
    {% if path is none %}
        {{ return({"relation": none, "columns": []}) }}
    {% endif %}
    {% set escaped = path | replace("'", "''") %}
    {% if path.endswith('.csv') %}
        {#- Everything is read as text, so that staging's casts decide what is a number. -#}
        {% set relation = "read_csv('" ~ escaped ~ "', header = true, all_varchar = true)" %}
    {% else %}
        {% set relation = "read_parquet('" ~ escaped ~ "')" %}
    {% endif %}
    {% set described = run_query("describe select * from " ~ relation) %}
    {% set columns = described.columns[0].values() | map('lower') | list %}
    {{ return({"relation": relation, "columns": columns}) }}
{% endmacro %}
