{% macro try_cast_value(expression, data_type) %}
    {#-
        `expression` cast to `data_type`, or null when it does not convert (never an error).
        Booleans are parsed the same way on every engine (true/false, t/f, yes/no, y/n, 1/0 in
        any case, around spaces), because engines disagree on which words are booleans.
    -#}
    {% if data_type | trim | lower in ['boolean', 'bool'] %}
        {{ return(mrr_engine.parse_boolean(expression)) }}
    {% endif %}
    {{ return(adapter.dispatch('try_cast_value', 'mrr_engine')(expression, data_type)) }}
{% endmacro %}

{% macro parse_boolean(expression) %}
    case lower(trim(cast({{ expression }} as {{ dbt.type_string() }})))
        when 'true' then true when 't' then true when 'yes' then true when 'y' then true when '1' then true
        when 'false' then false when 'f' then false when 'no' then false when 'n' then false when '0' then false
    end
{% endmacro %}

{% macro default__try_cast_value(expression, data_type) %}
    {{ dbt.safe_cast(expression, data_type) }}
{% endmacro %}

{% macro duckdb__try_cast_value(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro spark__try_cast_value(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro postgres__try_cast_value(expression, data_type) %}
    {#- PostgreSQL has no try_cast: the functions made by create_try_cast_functions() catch the error. -#}
    {% set parsed = modules.re.fullmatch(' *([a-z]+) *(?:[(] *([0-9]+) *, *([0-9]+) *[)])? *', data_type | lower) %}
    {% set kind = parsed.group(1) if parsed else '' %}
    {% set text = 'cast(' ~ expression ~ ' as text)' %}
    {% if kind in ['decimal', 'numeric'] and parsed.group(2) %}
        cast({{ target.schema }}.mrr_try_numeric({{ text }}, {{ parsed.group(2) }}, {{ parsed.group(3) }}) as {{ data_type }})
    {% elif kind in ['integer', 'bigint', 'date'] %}
        {{ target.schema }}.mrr_try_{{ kind }}({{ text }})
    {% elif kind in ['text', 'varchar'] %}
        {{ text }}
    {% else %}
        {{ exceptions.raise_compiler_error("try_cast_value has no PostgreSQL form for type " ~ data_type) }}
    {% endif %}
{% endmacro %}
