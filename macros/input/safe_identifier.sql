{% macro safe_identifier(name) %}
    {#-
        `name` unchanged when it is a plain lowercase SQL identifier (letters, digits, underscores,
        not starting with a digit, at most 63 characters); a compile error otherwise. Every
        identifier that reaches SQL from a var, an option or an input file header goes through
        here, so no input can inject SQL.
    -#}
    {% if not modules.re.fullmatch('[a-z_][a-z0-9_]{0,62}', name | string) %}
        {{ exceptions.raise_compiler_error(
            "Unsafe identifier " ~ (name | string | tojson) ~ ": use lowercase letters, digits and"
            ~ " underscores only (it comes from an input header, a var or an option)."
        ) }}
    {% endif %}
    {{ return(name) }}
{% endmacro %}
