{% macro upgrade_movement_types() %}
    {#-
        The movement types that count as upgrades in every upgrade figure: `upgrade`, plus
        `add_on` when var mrr_count_add_ons_as_upgrades is true. Returned as a SQL list literal.
    -#}
    {% if mrr_engine.flag_var('count_add_ons_as_upgrades') %}
        {{ return("('upgrade', 'add_on')") }}
    {% endif %}
    {{ return("('upgrade')") }}
{% endmacro %}
