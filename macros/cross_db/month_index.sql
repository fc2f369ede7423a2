{% macro month_index(date_expression) %}
    {#-
        Months since year 0 (year * 12 + month - 1): month arithmetic as integer arithmetic.
        Cast, because engines type extract() differently (numeric, double, integer).
    -#}
    cast(extract(year from {{ date_expression }}) * 12 + extract(month from {{ date_expression }}) - 1 as integer)
{% endmacro %}
