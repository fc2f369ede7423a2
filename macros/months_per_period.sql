{% macro months_per_period(period) %}
    {#-
        How many months a period of the metrics marts holds: 'month' 1, 'quarter' 3, 'year' 12.
        Periods start at month indexes divisible by it (January, April, July, October for
        quarters).
    -#}
    {{ return({'month': 1, 'quarter': 3, 'year': 12}[period]) }}
{% endmacro %}
