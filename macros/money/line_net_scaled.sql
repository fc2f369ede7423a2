{% macro line_net_scaled(
    unit_amount, quantity, discount_percent, discount_amount,
    price_factor_numerator, price_factor_denominator,
    discount_factor_numerator, discount_factor_denominator
) %}
    {#-
        A line's net price per month in its own currency, times the whole number
        D = price_den * discount_den (see line_mrr), as an exact decimal:
        net = u*q - min(u*q, u*q*p/100 + a) with u = unit_amount * price factor and
        a = discount_amount * discount factor. Does not depend on the month, so int_line_months
        computes it once per period and only the fx rate and the rounding per month.
    -#}
    {%- set list_scaled -%}
        (cast({{ unit_amount }} as decimal(38, 4)) * cast({{ quantity }} as decimal(38, 4))
            * {{ price_factor_numerator }} * {{ discount_factor_denominator }})
    {%- endset -%}
    {%- set discount_scaled -%}
        ({{ list_scaled }} * cast({{ discount_percent }} as decimal(38, 4)) * cast(0.01 as decimal(3, 2))
            + cast({{ discount_amount }} as decimal(38, 4))
            * {{ discount_factor_numerator }} * {{ price_factor_denominator }})
    {%- endset -%}
    ({{ list_scaled }} - least({{ list_scaled }}, {{ discount_scaled }}))
{% endmacro %}
