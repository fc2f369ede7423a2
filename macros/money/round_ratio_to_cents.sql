{% macro round_ratio_to_cents(numerator, denominator) %}
    {#-
        numerator / denominator rounded half away from zero to cents, exactly, for numerator >= 0
        (an exact decimal) and denominator a positive integer.

        floor(x / n) = floor(floor(x) / n) for a whole n > 0, so
        round(N / D, 2) = floor(200 * N + D) div (2 * D) cents: no division of decimals (which
        some engines, DuckDB among them, carry out in floating point).
    -#}
    (cast({{ mrr_engine.integer_divide(
        'floor(200 * (' ~ numerator ~ ') + (' ~ denominator ~ '))',
        '2 * (' ~ denominator ~ ')'
    ) }} as decimal(38, 0)) * cast(0.01 as decimal(3, 2)))
{% endmacro %}
