{% macro round_to_cents(numerator, denominator, rate='1') %}
    {#-
        THE rounding rule of the engine, the only place it is written in SQL:
        R(rate * numerator / denominator), an amount rounded half away from zero to whole cents,
        once, exactly, for a numerator >= 0 (an exact decimal), a whole denominator > 0 and a rate
        > 0 of at most 10 decimal places. R(x) = floor(200 * x + 1) div 2 cents, i.e.
        floor((200 * rate * numerator + denominator) / (2 * denominator)) cents.

        Used for a line's MRR (line_mrr: numerator = its net price scaled to whole-number
        denominators, rate = the month's fx rate) and for the ratio metrics (an average upgrade
        value: upgrade_mrr over upgrading customers, rate 1). The Python reference
        (scripts/mrr/reference.py) states the same rule again on purpose, with Python's Decimal:
        it is the independent recomputation the marts are checked against.
    -#}
    {{ return(adapter.dispatch('round_to_cents', 'mrr_engine')(numerator, denominator, rate)) }}
{% endmacro %}

{% macro default__round_to_cents(numerator, denominator, rate='1') %}
    {#-
        The rule in whole numbers, without forming rate * numerator, whose scale (the numerator's,
        up to 20, plus the rate's 10) would not fit a decimal(38): with R = rate * 10^10 (a whole
        number) and numerator = X + f (X its whole part, 0 <= f < 1),
        floor((200 * R * (X + f) + D * 10^10) / (2 * D * 10^10))
            = (200 * R * X + floor(200 * R * f) + D * 10^10) div (2 * D * 10^10),
        because the other terms are whole. For a rate below 10^5 (R < 10^15) and a numerator
        below 10^18 (the input checks' bounds), 200 * R * X stays under 2 * 10^35 and
        200 * R * f under 2 * 10^17, within a decimal(38, 20).
    -#}
    {%- set scaled_rate -%}
        cast(cast({{ rate }} as decimal(38, 10)) * 10000000000 as decimal(38, 0))
    {%- endset -%}
    {%- set scaled_denominator -%}
        (cast({{ denominator }} as decimal(38, 0)) * 10000000000)
    {%- endset -%}
    {%- set dividend -%}
        200 * {{ scaled_rate }} * cast(floor({{ numerator }}) as decimal(38, 0))
        + cast(floor(200 * {{ scaled_rate }} * ({{ numerator }} - floor({{ numerator }}))) as decimal(38, 0))
        + {{ scaled_denominator }}
    {%- endset -%}
    (cast({{ mrr_engine.integer_divide(dividend, '2 * ' ~ scaled_denominator) }} as decimal(38, 0))
        * cast(0.01 as decimal(3, 2)))
{% endmacro %}

{% macro duckdb__round_to_cents(numerator, denominator, rate='1') %}
    {#-
        A speed trick beside the rule, kept because it pays (docs/scale-history.md, round 15:
        about a tenth of int_line_months' work at 1,000,000 customers): the same rounding, with
        DuckDB's slow 128-bit decimal arithmetic only where it decides. The whole number of cents
        is floor(q), q = (200 * rate * numerator + D) / (2 * D). Here q is estimated in double
        precision: each of its few roundings errs by at most 2^-53 of the value, so the estimate
        is within q * 10^-15 of q, and its floor is floor(q) whenever it lies further than
        q * 10^-12 from a whole number. Otherwise (a half cent, exactly or within that distance,
        or an amount beyond 2^40 cents) the exact rule above decides. The data test
        assert_line_mrr_rounding_matches_whole_number_rounding checks that both agree with cents
        worked out by hand, on the hardest values (half cents, 10^-20 either side of one, ...).
    -#}
    {%- set estimate -%}
        ((200 * cast({{ rate }} as double) * cast({{ numerator }} as double) + ({{ denominator }}))
            / (2 * ({{ denominator }})))
    {%- endset -%}
    case
        when {{ estimate }} < 1099511627776 and abs({{ estimate }} - round({{ estimate }})) > {{ estimate }} * 1e-12
            then cast(floor({{ estimate }}) as decimal(38, 0)) * cast(0.01 as decimal(3, 2))
        else {{ mrr_engine.default__round_to_cents(numerator, denominator, rate) }}
    end
{% endmacro %}
