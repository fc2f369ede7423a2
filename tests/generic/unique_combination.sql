{% test unique_combination(model, columns) %}
    {#- The combination of `columns` identifies one row: returns every duplicated combination. -#}
    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
