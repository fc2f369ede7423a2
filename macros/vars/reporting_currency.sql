{% macro reporting_currency() %}
    {#-
        var mrr_reporting_currency as a SQL string literal, upper-cased like every currency code
        of the input ('usd' is USD), after checking it is an ISO 4217 code.
    -#}
    {% set value = mrr_engine.setting('reporting_currency', 'USD') | string | trim | upper %}
    {% if not modules.re.fullmatch('[A-Z]{3}', value) %}
        {{ exceptions.raise_compiler_error(
            "var mrr_reporting_currency must be a three-letter ISO 4217 code, got " ~ (value | tojson)
        ) }}
    {% endif %}
    {{ return("'" ~ value ~ "'") }}
{% endmacro %}
