{% macro flag_var(name) %}
    {#- A boolean var (true/false, also given as a string by --vars), strictly parsed. -#}
    {% set value = var(name, false) | string | lower %}
    {% if value not in ('true', 'false') %}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be true or false, got " ~ (value | tojson)) }}
    {% endif %}
    {{ return(value == 'true') }}
{% endmacro %}
