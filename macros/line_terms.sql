{% macro line_terms() %}
    {#-
        The terms of a line that int_line_changes compares between two months and
        int_line_change_effects substitutes one by one, besides the plan and the fx rate.
    -#}
    {{ return([
        'unit_amount', 'quantity', 'discount_percent', 'discount_amount', 'factor_numerator', 'factor_denominator',
    ]) }}
{% endmacro %}
