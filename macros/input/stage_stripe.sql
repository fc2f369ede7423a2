{% macro stage_stripe(table_name, columns, required=true, expected_columns=[], without_expected='') %}
    {#-
        The body of a Stripe staging model: select Fivetran's Stripe table `table_name` (the dbt
        source stripe.<table_name>) with the listed columns cast to their types. A listed column
        the table lacks is null (Fivetran adds columns as Stripe's API grows; older syncs lack
        some), so the adapter's models see one shape.

        columns: list of dicts {name, type, alias (optional: the staged name)}.
        required: the table must exist (a clear error naming it otherwise); an absent optional
                  table stages as an empty, typed relation.
        expected_columns, without_expected: columns the table should have (e.g. Fivetran's
                  history-mode columns) and what the adapter does without them, logged when one
                  is missing.
    -#}
    {% set source_relation = source('stripe', table_name) %}
    {% set present = [] %}
    {% set existing = none %}
    {% if execute %}
        {% set existing = adapter.get_relation(
            database=source_relation.database, schema=source_relation.schema,
            identifier=source_relation.identifier
        ) %}
        {% if existing is none and required %}
            {{ exceptions.raise_compiler_error(
                "Required Stripe table '" ~ table_name ~ "' is missing: expected the source table "
                ~ source_relation ~ " (Fivetran's Stripe connector; `mrr build --input DIR"
                ~ " --input-format stripe` reads it from DIR/" ~ table_name ~ ".csv or .parquet)."
            ) }}
        {% endif %}
        {% if existing is not none %}
            {% for column in adapter.get_columns_in_relation(existing) %}
                {% do present.append(column.name | lower) %}
            {% endfor %}
            {% set missing = expected_columns | reject('in', present) | list %}
            {% if missing %}
                {% do log("Stripe table " ~ existing ~ " has no " ~ missing | join(', ') ~ ": "
                    ~ without_expected, info=true) %}
            {% endif %}
        {% endif %}
    {% endif %}

    select
        {% for column in columns %}
            {% if existing is not none and column.name in present %}
                {{ mrr_engine.stripe_cast(adapter.quote(column.name), column.type) }}
            {% else %}
                cast(null as {{ column.type }})
            {% endif %} as {{ column.get('alias', column.name) }}{{ ',' if not loop.last }}
        {% endfor %}
    {% if existing is not none %}
        from {{ existing }}
    {% else %}
        where 1 = 0
    {% endif %}
{% endmacro %}

{% macro stripe_cast(column, type) %}
    {#-
        A Stripe column cast to `type`: text trimmed and empty text as null first (CSV files and
        text-typed loads hold '' for an absent value), so that every engine casts the same way.
    -#}
    {%- set text = 'nullif(' ~ mrr_engine.trim_whitespace('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') ~ ", '')" -%}
    {%- if type == dbt.type_string() -%}
        {{ text }}
    {%- elif type == dbt.type_boolean() -%}
        (lower({{ text }}) in ('true', 't', '1'))
    {%- else -%}
        cast({{ text }} as {{ type }})
    {%- endif -%}
{% endmacro %}
