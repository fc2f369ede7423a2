{% macro expansion_retention_months() %}
    {#-
        var mrr_expansion_retention_months (default 3): how many months after an expansion the
        customer's MRR is looked at to tell whether the expansion stuck.
    -#}
    {% set value = mrr_engine.setting('expansion_retention_months', 3) | string %}
    {% if not modules.re.fullmatch('[1-9][0-9]?', value) %}
        {{ exceptions.raise_compiler_error(
            "var mrr_expansion_retention_months must be a whole number of months from 1 to 99, got " ~ (value | tojson)
        ) }}
    {% endif %}
    {{ return(value | int) }}
{% endmacro %}
