{% test unique_combination(model, columns) %}
    {#- The combination of `columns` identifies one row: returns every duplicated combination. -#}
    {{ mrr_engine.duplicated_combinations(model, columns) }}
{% endtest %}
