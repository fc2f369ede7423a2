{% macro as_of_date() %}
    {#-
        var('as_of_date') as a SQL date literal, after checking it is a real YYYY-MM-DD date.
        Unset (null or empty), the build reports as of the date its run started, in UTC
        (run_started_at): a host project's nightly job reports as of that night, and the date is
        in the marts (int_months' last snapshot_date). The `mrr` runner always sets it.
    -#}
    {% set value = var('as_of_date', none) %}
    {% if value is none or (value | string | trim) == '' %}
        {% set value = run_started_at.strftime('%Y-%m-%d') %}
    {% endif %}
    {% set value = value | string | trim %}
    {% if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) %}
        {{ exceptions.raise_compiler_error(
            "var as_of_date must be a date written YYYY-MM-DD, got " ~ (value | tojson)
        ) }}
    {% endif %}
    {% set parsed = modules.datetime.datetime.strptime(value, '%Y-%m-%d') %}
    {{ return("cast('" ~ parsed.strftime('%Y-%m-%d') ~ "' as date)") }}
{% endmacro %}
