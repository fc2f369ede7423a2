{% macro setting(name, default=none) %}
    {#-
        The value of the package var mrr_<name>, else of its old, unprefixed name <name> (still
        read, so that projects written before the vars were namespaced keep working), else
        default. The defaults live with each setting's macro, so dbt_project.yml declares the
        mrr_ names as null: a value set under either name is never hidden by a project default.
    -#}
    {% set value = var('mrr_' ~ name, none) %}
    {% if value is none %}
        {% set value = var(name, none) %}
    {% endif %}
    {{ return(default if value is none else value) }}
{% endmacro %}
