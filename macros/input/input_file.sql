{% macro input_file(table_name) %}
    {#-
        The path of input file `table_name` in var('input_dir') (`<name>.parquet` or `<name>.csv`),
        or none when the directory has neither. Two files for one table is an error.
        Only meaningful at execution time: while dbt parses, it returns none.
    -#}
    {% if not execute %}
        {{ return(none) }}
    {% endif %}
    {% set input_dir = var('input_dir') | string %}
    {% set found = [] %}
    {% for extension in ['parquet', 'csv'] %}
        {% set candidate = input_dir.rstrip('/') ~ '/' ~ table_name ~ '.' ~ extension %}
        {% set result = run_query(
            "select count(*) from glob('" ~ candidate | replace("'", "''") ~ "')"
        ) %}
        {% if result.rows[0][0] > 0 %}
            {% do found.append(candidate) %}
        {% endif %}
    {% endfor %}
    {% if found | length > 1 %}
        {{ exceptions.raise_compiler_error(
            "Input directory " ~ input_dir ~ " has both " ~ found | join(' and ')
            ~ ": keep one file per table."
        ) }}
    {% endif %}
    {{ return(found[0] if found else none) }}
{% endmacro %}
