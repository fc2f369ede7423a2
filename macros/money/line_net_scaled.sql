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

        Exact for the terms the input checks accept (docs/definitions.md, "Exactness"):
        unit_amount at most 8 decimal places, quantity 4, discount_percent 6, discount_amount 10,
        so that the value has at most 8 + 4 + 6 + 2 = 20 (a decimal(38, 20)), and the list price
        and amount discount scaled by D below 10^17 each (rule amount_out_of_range), so that it
        holds the 18 integer digits left. The casts below drop no digit of such terms; a larger
        value is an engine error (an overflow), never a rounded one.
    -#}
    {%- set list_scaled -%}
        (cast({{ unit_amount }} as decimal(38, 8)) * cast({{ quantity }} as decimal(38, 4))
            * {{ price_factor_numerator }} * {{ discount_factor_denominator }})
    {%- endset -%}
    {%- set discount_scaled -%}
        ({{ list_scaled }} * cast({{ discount_percent }} as decimal(38, 6)) * cast(0.01 as decimal(3, 2))
            + cast({{ discount_amount }} as decimal(38, 10))
            * {{ discount_factor_numerator }} * {{ price_factor_denominator }})
    {%- endset -%}
    ({{ list_scaled }} - least({{ list_scaled }}, {{ discount_scaled }}))
{% endmacro %}
