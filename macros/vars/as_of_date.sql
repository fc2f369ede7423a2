{% macro as_of_date() %}
    {#-
        var('as_of_date') as a SQL date literal, after checking it is a real YYYY-MM-DD date.
        Every build states its as-of date: nothing depends on today's date.
    -#}
    {% set value = var('as_of_date', none) | string %}
    {% if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) %}
        {{ exceptions.raise_compiler_error(
            "var as_of_date must be a date written YYYY-MM-DD, got " ~ (value | tojson)
        ) }}
    {% endif %}
    {% set parsed = modules.datetime.datetime.strptime(value, '%Y-%m-%d') %}
    {{ return("cast('" ~ parsed.strftime('%Y-%m-%d') ~ "' as date)") }}
{% endmacro %}
