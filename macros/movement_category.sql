{% macro movement_category(movement_type, seeded_category) %}
    {#-
        A movement's category: the one in seed movement_types, except that reactivations count as
        expansion when var mrr_reactivation_as_expansion is true.
    -#}
    {% if mrr_engine.flag_var('reactivation_as_expansion') %}
        case when {{ movement_type }} = 'reactivation' then 'expansion' else {{ seeded_category }} end
    {% else %}
        {{ seeded_category }}
    {% endif %}
{% endmacro %}
