{% macro as_of_date() %}
    {#-
        The last day the build reports on, as a SQL date literal, after checking it is a real
        YYYY-MM-DD date: var mrr_as_of_date (or its old name as_of_date), else the environment
        variable MRR_AS_OF_DATE (how the `mrr` runner passes it: dbt re-parses only the files that
        read an environment variable when it changes, but the whole project when a var does),
        else the date the run started, in UTC (run_started_at): a host project's nightly job
        reports as of that night, and the date is in the marts (int_months' last snapshot_date).
    -#}
    {% set value = mrr_engine.setting('as_of_date') %}
    {% if value is none or (value | string | trim) == '' %}
        {% set value = env_var('MRR_AS_OF_DATE', '') %}
    {% endif %}
    {% if (value | string | trim) == '' %}
        {% set value = run_started_at.strftime('%Y-%m-%d') %}
    {% endif %}
    {% set value = value | string | trim %}
    {% if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) %}
        {{ exceptions.raise_compiler_error(
            "var mrr_as_of_date must be a date written YYYY-MM-DD, got " ~ (value | tojson)
        ) }}
    {% endif %}
    {% set parsed = modules.datetime.datetime.strptime(value, '%Y-%m-%d') %}
    {{ return("cast('" ~ parsed.strftime('%Y-%m-%d') ~ "' as date)") }}
{% endmacro %}
