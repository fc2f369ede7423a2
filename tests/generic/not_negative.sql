{% test not_negative(model, column_name) %}
    {#- Every value of the column is >= 0 (nulls pass): returns the negative ones. -#}
    select * from {{ model }}
    where {{ column_name }} < 0
{% endtest %}
