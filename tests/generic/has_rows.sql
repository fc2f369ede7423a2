{% test has_rows(model) %}
    {#- The model is not empty: returns one row saying so when it has none. -#}
    select 'the input has no rows' as problem
    from (select count(*) as row_count from {{ model }}) as counted
    where row_count = 0
{% endtest %}
