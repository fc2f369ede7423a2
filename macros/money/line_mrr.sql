{% macro line_mrr(
    unit_amount, quantity, discount_percent, discount_amount,
    price_factor_numerator, price_factor_denominator,
    discount_factor_numerator, discount_factor_denominator,
    rate
) %}
    {#-
        A line's MRR in the reporting currency, in cents, exactly:
        R(rate * net(u, q, p, a)) with u = unit_amount * price factor,
        a = discount_amount * discount factor (the two factors may differ in the mixed states of
        the movement decomposition), net = u*q - min(u*q, u*q*p/100 + a), and R rounding half
        away from zero to cents once. Everything is scaled by the common denominator
        D = price_den * discount_den so that only whole-number division remains.
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
    {%- set net_scaled -%}
        ({{ list_scaled }} - least({{ list_scaled }}, {{ discount_scaled }}))
    {%- endset -%}
    {{ mrr_engine.round_ratio_to_cents(
        'cast(' ~ rate ~ ' as decimal(38, 10)) * ' ~ net_scaled,
        '(' ~ price_factor_denominator ~ ') * (' ~ discount_factor_denominator ~ ')'
    ) }}
{% endmacro %}
