{% macro reactivation_window_months() %}
    {#- var mrr_reactivation_window_months as a whole number of months, or none when unset. -#}
    {% set value = mrr_engine.setting('reactivation_window_months') %}
    {% if value is none or value | string | lower in ('', 'none', 'null') %}
        {{ return(none) }}
    {% endif %}
    {% if not modules.re.fullmatch('[0-9]+', value | string) %}
        {{ exceptions.raise_compiler_error(
            "var mrr_reactivation_window_months must be a whole number of months, got " ~ (value | string | tojson)
        ) }}
    {% endif %}
    {{ return(value | int) }}
{% endmacro %}
