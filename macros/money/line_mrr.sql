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
        D = price_den * discount_den so that only whole-number division remains
        (line_net_scaled is net * D; round_to_cents, the engine's one rounding rule, rounds).
    -#}
    {{ mrr_engine.round_to_cents(
        mrr_engine.line_net_scaled(
            unit_amount, quantity, discount_percent, discount_amount,
            price_factor_numerator, price_factor_denominator,
            discount_factor_numerator, discount_factor_denominator
        ),
        '(' ~ price_factor_denominator ~ ') * (' ~ discount_factor_denominator ~ ')',
        rate
    ) }}
{% endmacro %}
