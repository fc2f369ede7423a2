{% macro flag_var(name) %}
    {#- A boolean var (true/false, also given as a string by --vars), strictly parsed. -#}
    {% set value = mrr_engine.setting(name, false) | string | lower %}
    {% if value not in ('true', 'false') %}
        {{ exceptions.raise_compiler_error("var mrr_" ~ name ~ " must be true or false, got " ~ (value | tojson)) }}
    {% endif %}
    {{ return(value == 'true') }}
{% endmacro %}
