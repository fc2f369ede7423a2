{% macro stage_input(table_name, columns, required=false, keep_other_columns=false) %}
    {#-
        The body of a staging model: select input table `table_name` with every contract column
        renamed to lowercase, cast to its type and defaulted.

        columns: list of dicts {name, type, default (sql, optional), required (bool, optional),
                 keep_text (bool, optional: also keep the original text as <name>_text, so that
                 checks can tell "missing" from "not a number"), case ('upper' or 'lower',
                 optional: for codes compared without regard to case)}.
        Every value is read without leading and trailing whitespace (trim_whitespace): a text
        column keeps the trimmed text, so ' acme ' and 'acme' are one id; a value that is only
        whitespace is empty and takes the default.
        Numbers are cast to the column's type, which must hold every value the checks accept
        exactly (the checks read the digits from <name>_text: a cast rounds without a word).
        required: the table itself must exist (a clear error otherwise); an absent optional table
                  stages as an empty, typed relation.
        keep_other_columns: carry any non-contract column (e.g. customer attributes) as text.
    -#}
    {% set input = mrr_engine.input_relation(table_name) %}
    {% set present = input.columns %}
    {% if execute and input.relation is none and required %}
        {{ exceptions.raise_compiler_error(
            "Required input table '" ~ table_name ~ "' is missing: expected the source table "
            ~ input.source ~ " (`mrr build --input DIR` makes it from DIR/" ~ table_name
            ~ ".csv or .parquet on DuckDB; `mrr load` loads it into a warehouse)."
        ) }}
    {% endif %}
    {% if execute and input.relation is not none %}
        {% for column in columns if column.get('required') and column.name not in present %}
            {{ exceptions.raise_compiler_error(
                "Input table '" ~ table_name ~ "' lacks required column '" ~ column.name
                ~ "' (it has: " ~ present | join(', ') ~ ")."
            ) }}
        {% endfor %}
    {% endif %}
    {% set contract_names = columns | map(attribute='name') | list + ['input_row_number'] %}

    select
        {% for column in columns %}
            {% set default = column.get('default', 'null') %}
            {% if input.relation is not none and column.name in present %}
                {%- set text = mrr_engine.trim_whitespace(
                    'cast(' ~ adapter.quote(column.name) ~ ' as ' ~ dbt.type_string() ~ ')'
                ) -%}
                {%- if column.type == dbt.type_string() -%}
                    {%- set value = {'upper': 'upper(', 'lower': 'lower('}.get(column.get('case'), '(')
                        ~ text ~ ')' -%}
                {%- else -%}
                    {%- set value = mrr_engine.try_cast_value(adapter.quote(column.name), column.type) -%}
                {%- endif %}
                case
                    when {{ text }} = ''
                        or {{ adapter.quote(column.name) }} is null
                        then {{ default }}
                    else {{ value }}
                end
            {% else %}
                cast({{ default }} as {{ column.type }})
            {% endif %} as {{ column.name }},
            {% if column.get('keep_text') %}
                {% if input.relation is not none and column.name in present %}
                    nullif({{ mrr_engine.trim_whitespace(
                        'cast(' ~ adapter.quote(column.name) ~ ' as ' ~ dbt.type_string() ~ ')'
                    ) }}, '')
                {% else %}
                    cast(null as {{ dbt.type_string() }})
                {% endif %} as {{ column.name }}_text,
            {% endif %}
        {% endfor %}
        {% if keep_other_columns %}
            {% for name in present if name not in contract_names %}
                cast({{ adapter.quote(name) }} as {{ dbt.type_string() }}) as {{ mrr_engine.safe_identifier(name) }},
            {% endfor %}
        {% endif %}
        {{ mrr_engine.input_row_number(present) }} as input_row_number
    {% if input.relation is not none %}
        from {{ input.relation }}
    {% else %}
        where 1 = 0
    {% endif %}
{% endmacro %}
